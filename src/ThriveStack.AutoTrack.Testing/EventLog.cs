using System.Text.Json;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>Accepting or refusing a request, whatever its kind.</summary>
internal interface IRecordLog
{
    void Accept(JsonElement root, long? bodyBytes);

    void Refuse(int status, int count, IReadOnlyList<string> problems, long? bodyBytes);

    void Clear();
}

/// <summary>The track events a collector or recorder has accepted.</summary>
internal sealed class EventLog() : RecordLog<ReceivedEvent>((json, batch, at) => new ReceivedEvent(json, batch, at), "events", e => e.EventName);

/// <summary>The identify or group records a collector or recorder has accepted.</summary>
internal sealed class TraitsLog(string kind) : RecordLog<ReceivedTraits>((json, batch, at) => new ReceivedTraits(json, batch, at), kind + " records", r => r.UserId);

/// <summary>What a collector or recorder has accepted of one kind, with waiters for tests; shared by both so they behave alike.</summary>
internal abstract class RecordLog<T>(Func<JsonElement, int, DateTimeOffset, T> create, string plural, Func<T, string> describe) : IRecordLog
{
    private readonly Lock _gate = new();
    private readonly List<T> _events = [];
    private readonly List<CollectedBatch> _batches = [];
    private readonly List<(Func<IReadOnlyList<T>, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private int _acceptedBatches;

    public IReadOnlyList<T> Events
    {
        get
        {
            lock (_gate)
                return [.. _events];
        }
    }

    public IReadOnlyList<CollectedBatch> Batches
    {
        get
        {
            lock (_gate)
                return [.. _batches];
        }
    }

    public void Accept(JsonElement root, long? bodyBytes)
    {
        var now = DateTimeOffset.UtcNow;
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            var batchNumber = ++_acceptedBatches;
            foreach (var item in root.EnumerateArray())
                _events.Add(create(item.Clone(), batchNumber, now));
            _batches.Add(new CollectedBatch(_batches.Count + 1, 200, root.GetArrayLength(), [], now, bodyBytes));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_events))
                {
                    ready.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (var done in ready)
            done.TrySetResult();
    }

    public void Refuse(int status, int count, IReadOnlyList<string> problems, long? bodyBytes)
    {
        lock (_gate)
            _batches.Add(new CollectedBatch(_batches.Count + 1, status, count, problems, DateTimeOffset.UtcNow, bodyBytes));
    }

    public void Clear()
    {
        lock (_gate)
        {
            _events.Clear();
            _batches.Clear();
        }
    }

    /// <summary>Completes when <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> saying what arrived otherwise.</summary>
    public async Task<IReadOnlyList<T>> WaitUntilAsync(Func<IReadOnlyList<T>, bool> condition, string what, TimeSpan? timeout)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (condition(_events))
                return [.. _events];
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
                throw new TimeoutException($"Waited for {what} but {_events.Count} {plural} arrived in {_batches.Count} requests: " +
                    string.Join(", ", _events.Select(describe)));
            }
        }
        return Events;
    }
}
