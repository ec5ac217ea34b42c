using Microsoft.Extensions.Hosting;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>Reads the user-agent rule table in the background when the host starts, so no request waits for it.</summary>
internal sealed class UserAgentWarmupService(UserAgentParser parser) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(parser.EnsureInitialized, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
