using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

public class SpoolLocationTests
{
    [Fact]
    public void Default_UnderTempPerAppAndContentRoot()
    {
        var one = SpoolLocation.Default(new Environment("Shop.Web", "/srv/a"));
        var again = SpoolLocation.Default(new Environment("Shop.Web", "/srv/a"));
        var copy = SpoolLocation.Default(new Environment("Shop.Web", "/srv/b"));

        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "thrivestack", "Shop.Web-"), one, StringComparison.Ordinal);
        Assert.EndsWith("spool.db", one, StringComparison.Ordinal);
        Assert.Equal(one, again);
        Assert.NotEqual(one, copy); // two copies of one app on a machine do not share a spool
    }

    [Fact]
    public void Default_ApplicationNameMadeSafeForAPath()
    {
        var path = SpoolLocation.Default(new Environment("My App/../x:y", "/srv/a"));

        Assert.Contains(Path.Combine("thrivestack", "My_App_.._x_y-"), path, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_NoEnvironment_StillAPath()
        => Assert.Contains(Path.Combine("thrivestack", "app-"), SpoolLocation.Default(null), StringComparison.Ordinal);

    private sealed class Environment(string name, string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = name;
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
