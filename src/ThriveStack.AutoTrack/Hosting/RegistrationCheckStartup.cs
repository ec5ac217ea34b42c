using System.ComponentModel;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ThriveStack.AutoTrack.Hosting;

/// <summary>
/// Infrastructure: the package names this hosting startup in the app's own assembly (through its build props), so a
/// web app that uses AutoTrack without calling <c>builder.Services.AddThriveStack()</c> fails at startup with one clear
/// message, whichever part it uses. Not meant to be used from code; opt out with the MSBuild property
/// <c>&lt;ThriveStackRegistrationCheck&gt;false&lt;/ThriveStackRegistrationCheck&gt;</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RegistrationCheckStartup : IHostingStartup
{
    /// <summary>Adds the check, which runs as the app's pipeline is built and does nothing when AutoTrack is registered.</summary>
    /// <param name="builder">The web host builder.</param>
    public void Configure(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureServices(services => services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, RegistrationCheck>()));
    }
}
