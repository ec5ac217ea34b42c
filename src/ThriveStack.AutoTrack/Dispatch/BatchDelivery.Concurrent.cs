namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>The delivery step's concurrent rounds: several of the backlog's oldest batches posted at once.</summary>
internal sealed partial class BatchDelivery
{
    /// <summary>
    /// While delivery is healthy and more than a batch waits in the backlog, posts up to
    /// <see cref="ThriveStackOptions.MaxConcurrentRequests"/> of its oldest batches at once, so a distant or slow API
    /// drains it at that many times one request's rate. The answers are settled here, on the sending loop, in the
    /// batches' order: the gate and the halving state stay the sending loop's alone. False when this is not the time.
    /// </summary>
    public async Task<bool> SendBacklogConcurrentlyAsync(bool stopping)
    {
        var most = options.MaxConcurrentRequests;
        if (most < 2 || stopping || _suspects.Count > 0 || _probeSize < options.BatchSize || Backlog.Count <= options.BatchSize)
            return false;
        var batches = new List<PendingBatch>(most);
        try
        {
            for (long read = 0; batches.Count < most && read < Backlog.Count;)
            {
                var batch = Backlog.ReadOldest(options.BatchSize, options.MaxBatchBytes);
                if (batch.Count == 0)
                {
                    batch.Dispose();
                    break;
                }
                read += batch.Count;
                batches.Add(batch);
            }
            if (batches.Count == 0)
                return false;
            var posts = new Task<SendResult>[batches.Count];
            for (var i = 0; i < batches.Count; i++)
                posts[i] = _poster.PostAsync(batches[i], 0, batches[i].Count, slot: i);
            var results = await Task.WhenAll(posts).ConfigureAwait(false);

            // The first failure decides the pause, and is applied after the deliveries of the same round, so that a
            // batch accepted alongside a 429 or a refused key does not reopen the gate. Failed batches stay in the backlog.
            var failure = -1;
            for (var i = 0; i < results.Length && failure < 0; i++)
            {
                if (results[i].Outcome is not (SendOutcome.Delivered or SendOutcome.Rejected))
                    failure = i;
            }
            for (var i = 0; i < batches.Count; i++)
            {
                var (batch, result) = (batches[i], results[i]);
                if (result.Outcome == SendOutcome.Delivered)
                {
                    Settle(batch, 0, batch.Count, reason: null);
                    Delivered();
                }
                else if (result.Outcome == SendOutcome.Rejected && failure < 0 && gate.State.IsOpen)
                {
                    _settled = 0;
                    await SettleAsync(batch, 0, batch.Count).ConfigureAwait(false); // halve it now, as one request would
                }
            }
            if (failure >= 0)
            {
                var (batch, result) = (batches[failure], results[failure]);
                if (result.Outcome is SendOutcome.Transient or SendOutcome.Failed)
                    _probeSize = Math.Max(1, batch.Count / 2);
                Failed(result, batch.Count);
            }
            return true;
        }
        finally
        {
            foreach (var batch in batches)
                batch.Dispose();
            Backlog.Release();
        }
    }
}
