using System.Collections.Concurrent;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// A bounded, thread-safe cache in two generations: hits in the older one move to the newer; when the newer is full it
/// becomes the older and the oldest is dropped whole. Memory stays under twice the capacity, recently seen user agents
/// stay cached, and a lookup is one or two dictionary reads with no allocation.
/// </summary>
internal sealed class UserAgentCache(int capacity)
{
    private readonly Lock _rotate = new();
    private ConcurrentDictionary<string, UserAgentInfo> _current = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, UserAgentInfo> _previous = new(StringComparer.Ordinal);
    private int _count;

    public bool TryGet(string key, out UserAgentInfo value)
    {
        if (_current.TryGetValue(key, out value!))
            return true;
        if (!_previous.TryGetValue(key, out value!))
            return false;
        Add(key, value);
        return true;
    }

    public void Add(string key, UserAgentInfo value)
    {
        if (capacity <= 0)
            return;
        if (Volatile.Read(ref _count) >= capacity)
        {
            lock (_rotate)
            {
                if (_count >= capacity)
                {
                    _previous = _current;
                    _current = new ConcurrentDictionary<string, UserAgentInfo>(StringComparer.Ordinal);
                    _count = 0;
                }
            }
        }
        if (_current.TryAdd(key, value))
            Interlocked.Increment(ref _count);
    }
}
