using System.Numerics;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The byte arrays that hold batches' JSON (<see cref="PendingBatch"/>), kept for reuse: at most <see cref="MaxKept"/>
/// of them, whatever the traffic, so what the pipeline holds between batches is bounded by a few batch sizes.
/// </summary>
/// <remarks>
/// <para>
/// Not <see cref="System.Buffers.ArrayPool{T}.Shared"/>: a batch's array is taken on the collecting loop and given back
/// on whichever thread-pool thread finished sending it, and the shared pool keeps an array of each size for every thread
/// that gave one back, and more per core. On the load test's trivial page (2026-12-03) the large object heap held
/// 1.8–2.2 MB after a full collection, for two or three 256 KiB arrays in use; with this pool (and the answer's buffer
/// sized to the answer, see <see cref="HttpBatchTransport"/>), 0.66 MB.
/// </para>
/// <para>
/// Threads: any thread takes and gives back. One lock, held for a scan of at most <see cref="MaxKept"/> slots: taken
/// when a batch takes its array, when it gives it back, and when a growing batch swaps it for a longer one.
/// </para>
/// </remarks>
internal sealed class BatchArrays
{
    /// <summary>Arrays kept at most: a batch filling, one handed over, <see cref="ThriveStackOptions.MaxConcurrentRequests"/> (4) in flight, and one spare.</summary>
    public const int MaxKept = 8;

    /// <summary>The smallest array made: a batch of a few events.</summary>
    public const int MinLength = 4096;

    private readonly byte[]?[] _kept = new byte[]?[MaxKept];
    private readonly Lock _lock = new();
    private int _count;

    /// <summary>The arrays of every pipeline in the process (track, identify, group).</summary>
    public static BatchArrays Shared { get; } = new();

    /// <summary>Arrays kept now (tests).</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
                return _count;
        }
    }

    /// <summary>
    /// An array of at least <paramref name="minimumLength"/> bytes: the shortest kept one that is long enough, else a new
    /// one of the next power of two (at least <see cref="MinLength"/>), so that batches of similar size reuse each other's.
    /// </summary>
    public byte[] Rent(int minimumLength)
    {
        lock (_lock)
        {
            var best = -1;
            for (var i = 0; i < _count; i++)
            {
                if (_kept[i]!.Length >= minimumLength && (best < 0 || _kept[i]!.Length < _kept[best]!.Length))
                    best = i;
            }
            if (best >= 0)
            {
                var array = _kept[best]!;
                _kept[best] = _kept[--_count];
                _kept[_count] = null;
                return array;
            }
        }
        return GC.AllocateUninitializedArray<byte>(LengthFor(minimumLength));
    }

    /// <summary>
    /// Keeps <paramref name="array"/> for reuse. When <see cref="MaxKept"/> are kept already, it replaces the shortest
    /// if it is longer (a few small batches do not push out the arrays of the busy pipeline), else it is left to the GC.
    /// </summary>
    public void Return(byte[] array)
    {
        lock (_lock)
        {
            if (_count < MaxKept)
            {
                _kept[_count++] = array;
                return;
            }
            var shortest = 0;
            for (var i = 1; i < _count; i++)
            {
                if (_kept[i]!.Length < _kept[shortest]!.Length)
                    shortest = i;
            }
            if (_kept[shortest]!.Length < array.Length)
                _kept[shortest] = array;
        }
    }

    /// <summary>The length of a new array for <paramref name="minimumLength"/> bytes.</summary>
    internal static int LengthFor(int minimumLength)
        => minimumLength <= MinLength ? MinLength : (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)minimumLength), (uint)Array.MaxLength);
}
