using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>AutoTrack's services as an app has them, delivering to <see cref="NullBatchTransport"/>: for benchmarks of the request path.</summary>
internal static class BenchmarkServices
{
    public static ServiceProvider Build(Action<ThriveStackOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddThriveStack(o =>
        {
            o.ApiKey = "bench";
            configure(o);
        });
        services.Replace(ServiceDescriptor.Singleton<IBatchTransport, NullBatchTransport>());
        return services.BuildServiceProvider();
    }
}
