using System.Diagnostics;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// The 2 KB page's request-path cost, tracked minus untracked, in one process: short blocks of each in turn (ABBA), so
/// that the machine's slow drifts (another guest's load, frequency changes) fall on both sides alike. Prints the median
/// of each side's per-request time over the blocks and the median of the block pairs' differences. A quick check for a
/// change to the request path; <see cref="MiddlewareBenchmarks"/> (BenchmarkDotNet) gives the figures to report.
/// <c>-- pathprobe [blocks]</c>.
/// </summary>
internal static class PathProbe
{
    private const int InvocationsPerBlock = 400; // of 16 requests each: a few milliseconds

    public static async Task RunAsync(int blocks)
    {
        var benchmark = new MiddlewareBenchmarks();
        benchmark.Setup();
        for (var i = 0; i < 20_000; i++)
        {
            await benchmark.Page2KB_Tracked(); // tiered compilation settles first
            await benchmark.Page2KB_WithoutMiddleware();
        }

        var bare = new List<double>(blocks);
        var tracked = new List<double>(blocks);
        var differences = new List<double>(blocks);
        for (var b = 0; b < blocks; b++)
        {
            double t, u;
            if (b % 2 == 0)
            {
                t = await Block(benchmark.Page2KB_Tracked);
                u = await Block(benchmark.Page2KB_WithoutMiddleware);
            }
            else
            {
                u = await Block(benchmark.Page2KB_WithoutMiddleware);
                t = await Block(benchmark.Page2KB_Tracked);
            }
            tracked.Add(t);
            bare.Add(u);
            differences.Add(t - u);
        }
        benchmark.Cleanup();
        Console.WriteLine($"2 KB page, {blocks} block pairs of {InvocationsPerBlock * 16} requests each: untracked median {Median(bare):F3} µs, " +
            $"tracked {Median(tracked):F3} µs; difference: median of pairs {Median(differences):F3} µs (quartiles {Quantile(differences, 0.25):F3} to {Quantile(differences, 0.75):F3})");
    }

    private static async Task<double> Block(Func<Task> run)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < InvocationsPerBlock; i++)
            await run();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / (InvocationsPerBlock * 16.0);
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        var position = q * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }
}
