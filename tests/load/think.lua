-- wrk script for tests/load/run.sh (MODE=trivial): each connection waits 1 ms after a response before its next
-- request, so the app is offered about the same, unsaturated load whichever app it is (16 connections: roughly 11,000
-- requests/s on a 2.1 GHz core, about 40 % of the bare trivial app's capacity), and its latency shows what tracking adds
-- to a request rather than how long requests queue behind each other.
function delay()
    return 1
end
