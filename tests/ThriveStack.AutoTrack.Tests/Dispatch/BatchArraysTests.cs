using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The arrays of batches' JSON: reused best-fit, never more than <see cref="BatchArrays.MaxKept"/> kept, the longest kept first.</summary>
public sealed class BatchArraysTests
{
    [Theory]
    [InlineData(0, 4096)]
    [InlineData(10, 4096)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 8192)]
    [InlineData(207_000, 262_144)]
    [InlineData(512 * 1024, 512 * 1024)]
    public void Rent_NothingKept_NextPowerOfTwo(int asked, int length)
    {
        var arrays = new BatchArrays();

        Assert.Equal(length, arrays.Rent(asked).Length);
    }

    [Fact]
    public void Rent_ShortestKeptThatFits_ElseNew()
    {
        var arrays = new BatchArrays();
        byte[] small = new byte[8192], medium = new byte[65_536], large = new byte[262_144];
        arrays.Return(large);
        arrays.Return(small);
        arrays.Return(medium);

        Assert.Same(medium, arrays.Rent(50_000));
        Assert.Same(large, arrays.Rent(50_000));
        var fresh = arrays.Rent(50_000);
        Assert.Equal(65_536, fresh.Length);
        Assert.NotSame(medium, fresh);
        Assert.Same(small, arrays.Rent(100));
        Assert.Equal(0, arrays.Count);
    }

    [Fact]
    public void Return_Full_KeepsTheLongest()
    {
        var arrays = new BatchArrays();
        var small = Enumerable.Range(0, BatchArrays.MaxKept).Select(_ => new byte[4096]).ToList();
        small.ForEach(arrays.Return);
        var large = new byte[262_144];

        arrays.Return(large);            // replaces a small one
        arrays.Return(new byte[1024]);   // shorter than every kept one: left to the GC

        Assert.Equal(BatchArrays.MaxKept, arrays.Count);
        Assert.Same(large, arrays.Rent(200_000));
        var rest = Enumerable.Range(0, BatchArrays.MaxKept - 1).Select(_ => arrays.Rent(1)).ToList();
        Assert.All(rest, a => Assert.Contains(a, small));
        Assert.Equal(0, arrays.Count);
    }

    [Fact]
    public void ManyBatchesThroughIt_AtMostMaxKept()
    {
        var arrays = new BatchArrays();
        for (var round = 0; round < 100; round++)
        {
            var outstanding = Enumerable.Range(0, 12).Select(i => arrays.Rent(1000 * (i + 1) * (round % 7 + 1))).ToList();
            outstanding.ForEach(arrays.Return);
            Assert.True(arrays.Count <= BatchArrays.MaxKept);
        }
    }

    /// <summary>Four threads take and give back at once (fixed sizes): no array is ever held by two of them.</summary>
    [Fact]
    public void Concurrent_AnArrayIsHeldByOneThreadAtATime()
    {
        var arrays = new BatchArrays();
        var shared = 0;
        var threads = Enumerable.Range(1, 4).Select(id => new Thread(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var array = arrays.Rent(4096 * (1 + (i + id) % 3));
                array.AsSpan().Fill((byte)id);
                Thread.Yield();
                if (array.AsSpan().IndexOfAnyExcept((byte)id) >= 0)
                    Interlocked.Increment(ref shared);
                arrays.Return(array);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, shared);
        Assert.True(arrays.Count <= BatchArrays.MaxKept);
    }
}
