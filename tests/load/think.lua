-- wrk script for tests/load/run.sh (MODE=trivial): each connection waits 1 ms after a response before its next
-- request, so the app is offered about the same, unsaturated load whichever app it is (16 connections: roughly 11,000
-- requests/s, set by the wait rather than the app; a quarter to a half of the bare trivial app's capacity on the VMs
-- measured), so far less of a request's latency is queueing than at saturation. One wait for every connection can keep
-- them in step, so some queueing remains (docs/performance.md, 2026-12-04: a random wait gave other figures).
function delay()
    return 1
end
