using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

public class RetryPolicyTests
{
    [Fact]
    public void Delay_FullJitterUnderADoublingCeiling_NeverBelowTheFloor()
    {
        var policy = new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), new Random(20261128));

        for (var failures = 1; failures <= 40; failures++)
        {
            var ceiling = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(failures - 1, 30))));
            Assert.Equal(ceiling, policy.Ceiling(failures));
            var delays = Enumerable.Range(0, 200).Select(_ => policy.Delay(failures)).ToList();
            Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(100), ceiling));
            if (ceiling >= TimeSpan.FromSeconds(8))
            {
                // Spread over the whole range, not clustered at the top (that would be "equal jitter").
                Assert.Contains(delays, d => d < ceiling / 4);
                Assert.Contains(delays, d => d > ceiling * 3 / 4);
            }
        }
    }

    [Fact]
    public void Delay_BaseBelowTheFloor_UsesTheBase()
    {
        var policy = new RetryPolicy(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), new Random(1));

        Assert.Equal(TimeSpan.FromMilliseconds(10), policy.Delay(1));
        Assert.Equal(TimeSpan.FromMilliseconds(10), policy.Delay(50));
    }
}
