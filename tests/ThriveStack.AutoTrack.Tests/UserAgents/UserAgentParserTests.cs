using System.Diagnostics;
using System.Text;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Tests.UserAgents;

public class UserAgentParserTests
{
    // Warmed as AutoTrack's hosted service warms it at startup, so first-use JIT cannot trip a match timeout.
    // What is parsed, not how fast: a cold regex on a loaded CI machine may pass the 50 ms default timeout.
    private static readonly UserAgentParser Parser = Warmed(new UserAgentParser(new UserAgentParserOptions { MatchTimeout = TimeSpan.FromSeconds(5) }));

    private static UserAgentParser Warmed(UserAgentParser parser)
    {
        parser.EnsureInitialized();
        return parser;
    }

    public const string ChromeWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    public const string ChromeAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36";
    public const string IPad = "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    public const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    public const string SafariMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    public const string AndroidTablet = "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    public const string Googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    public const string Bingbot = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";
    public const string GptBot = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)";
    public const string Curl = "curl/8.5.0";
    public const string FireTv = "Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7633; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0 Mobile Safari/537.36";

    [Theory]
    [InlineData(ChromeWindows, "Chrome", "131", "Windows", DeviceTypes.Desktop)]
    [InlineData(ChromeAndroid, "Chrome Mobile", "131", "Android", DeviceTypes.Mobile)]
    [InlineData(IPad, "Mobile Safari", "17", "iOS", DeviceTypes.Tablet)]
    [InlineData(IPhone, "Mobile Safari", "18", "iOS", DeviceTypes.Mobile)]
    [InlineData(SafariMac, "Safari", "17", "Mac OS X", DeviceTypes.Desktop)]
    [InlineData(AndroidTablet, "Chrome", "131", "Android", DeviceTypes.Tablet)]
    [InlineData(FireTv, "Chrome", "120", "Android", DeviceTypes.Tv)]
    [InlineData(Googlebot, "Googlebot", "2", "Other", DeviceTypes.Bot)]
    [InlineData(Bingbot, "bingbot", "2", "Other", DeviceTypes.Bot)]
    [InlineData(GptBot, "GPTBot", "1", "Other", DeviceTypes.Bot)]
    [InlineData(Curl, "curl", "8", "Other", DeviceTypes.Bot)]
    [InlineData("python-requests/2.32.3", "Python Requests", "2", "Other", DeviceTypes.Bot)]
    [InlineData("Go-http-client/1.1", "Go-http-client", "1", "Other", DeviceTypes.Bot)]
    public void Parse_WellKnownAgents_BrowserOsAndDeviceType(string userAgent, string browser, string major, string os, string deviceType)
    {
        var info = Parser.Parse(userAgent);

        Assert.Equal(browser, info.UserAgent.Family);
        Assert.Equal(major, info.UserAgent.Major);
        Assert.Equal(os, info.Os.Family);
        Assert.Equal(deviceType, info.DeviceType);
        Assert.Equal(deviceType == DeviceTypes.Bot, info.IsBot);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("totally unknown thing")]
    public void Parse_NothingMatches_OtherEverywhere(string? userAgent)
    {
        var info = Parser.Parse(userAgent);

        Assert.Equal("Other", info.UserAgent.Family);
        Assert.Null(info.UserAgent.Major);
        Assert.Equal("Other", info.Os.Family);
        Assert.Equal("Other", info.Device.Family);
        Assert.Null(info.Device.Brand);
        Assert.Equal(DeviceTypes.Other, info.DeviceType);
    }

    [Fact]
    public void Parse_TimedOut_ResultNotCached()
    {
        var parser = new UserAgentParser(new UserAgentParserOptions { MatchTimeout = TimeSpan.FromTicks(1), CompileRegexes = false });
        // Long and full of tokens many rules look for, so every match scans long enough to look at its clock.
        var agent = string.Concat(Enumerable.Repeat("Mozilla/5.0 (Linux; Android 14; spider crawler bot) Chrome/131.0 Mobile Safari/537.36 ", 12));

        var first = parser.Parse(agent);
        var second = parser.Parse(agent);

        Assert.Equal("Other", first.UserAgent.Family);
        Assert.NotSame(first, second); // each parse tried again rather than serving a cached "Other"
    }

    [Fact]
    public async Task EnsureInitialized_CompilesNothing_ItsWarmUpParsesAreNotUses()
    {
        var parser = new UserAgentParser(new UserAgentParserOptions { CacheSize = 0 });

        parser.EnsureInitialized(); // four everyday agents, several rules shared by two of them
        await Task.Delay(TimeSpan.FromMilliseconds(600)); // past the compiler's gathering delay

        Assert.False(parser.UpgradesPending);
        Assert.Equal(0, parser.CompiledRules); // no regex compiler, no Reflection.Emit, in an app that may never need them
    }

    [Fact]
    public async Task Parse_RulesCompileFromTheirSecondUse_InTheBackground()
    {
        var parser = new UserAgentParser(new UserAgentParserOptions { CacheSize = 0 });
        const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

        var first = parser.Parse(Firefox);
        await Task.Delay(TimeSpan.FromMilliseconds(600)); // past the compiler's gathering delay
        Assert.Equal(0, parser.CompiledRules);              // used once: still interpreted

        var second = parser.Parse(Firefox);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((parser.UpgradesPending || parser.CompiledRules == 0) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.InRange(parser.CompiledRules, 1, 40); // the rules this agent ran, not the whole table
        static object Answer(UserAgentInfo info) => (info.UserAgent, info.Os, info.Device, info.DeviceType);
        Assert.Equal(Answer(first), Answer(second));
        Assert.Equal(Answer(first), Answer(parser.Parse(Firefox))); // compiled, the same answer
    }

    [Fact]
    public void Parse_SameAgentTwice_ReturnsTheCachedInstance()
        => Assert.Same(Parser.Parse(ChromeWindows), Parser.Parse(ChromeWindows));

    [Fact]
    public void Parse_CacheFull_StaysBoundedAndCorrect()
    {
        var parser = new UserAgentParser(new UserAgentParserOptions { CacheSize = 8 });

        for (var i = 0; i < 100; i++)
            Assert.Equal("Chrome", parser.Parse(ChromeWindows.Replace("131.0.0.0", $"131.0.0.{i}", StringComparison.Ordinal)).UserAgent.Family);
        Assert.Equal("131", parser.Parse(ChromeWindows).UserAgent.Major);
    }

    [Fact]
    public void Parse_LongerThanCap_CutBeforeMatching()
    {
        var info = new UserAgentParser(new UserAgentParserOptions { MaxLength = 20 }).Parse("curl/8.5.0 " + new string('x', 5000) + " Googlebot/2.1");

        Assert.Equal("curl", info.UserAgent.Family); // the Googlebot token lies past the cap
    }

    public static TheoryData<string, string> HostileInputs => new()
    {
        { "100 KB of one char", new string('a', 100 * 1024) },
        { "100 KB of slashes and digits", string.Concat(Enumerable.Repeat("1.2/3.4 ", 12_800)) },
        { "repeated browser tokens", string.Concat(Enumerable.Repeat("Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36 ", 1500)) },
        { "repeated build tokens", string.Concat(Enumerable.Repeat("Build/", 20_000)) },
        { "control characters", new string(Enumerable.Range(0, 4096).Select(i => (char)(i % 32)).ToArray()) },
        { "invalid UTF-16 surrogates", string.Concat(Enumerable.Repeat("\ud800x\udc00Chrome/\udbff", 5000)) },
        { "nested parentheses", new string('(', 50_000) + new string(')', 50_000) },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Parse_HostileInput_FinishesWithoutThrowing(string name, string userAgent)
    {
        var parser = new UserAgentParser(new UserAgentParserOptions { CacheSize = 0, CompileRegexes = false });
        var watch = Stopwatch.StartNew();

        var info = parser.Parse(userAgent);

        Assert.NotNull(info.UserAgent.Family);
        // Bounded by the 1,024-character cap and the per-rule timeout; a generous guard against a hang, not a timing assertion.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{name} took {watch.Elapsed}");
    }

    [Fact]
    public void Parse_RandomAgents_NeverThrow()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var sb = new StringBuilder();
            for (var j = random.Next(0, 300); j > 0; j--)
                sb.Append((char)random.Next(0, 0xFFFF));
            Assert.NotNull(Parser.Parse(sb.ToString()));
        }
    }
}
