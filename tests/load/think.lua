-- wrk script for tests/load/run.sh (MODE=trivial): each connection waits 1 ms after a response before its next
-- request, so the app is offered about the same, unsaturated load whichever app it is (16 connections: roughly 11,000
-- requests/s, set by the wait rather than the app; a quarter to a half of the bare trivial app's capacity on the VMs
-- measured), and its latency shows what tracking adds to a request rather than how long requests queue behind each
-- other.
function delay()
    return 1
end
