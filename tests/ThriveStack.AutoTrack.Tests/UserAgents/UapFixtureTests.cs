using System.Text.Json;
using ThriveStack.AutoTrack.UserAgents;
using YamlDotNet.RepresentationModel;

namespace ThriveStack.AutoTrack.Tests.UserAgents;

/// <summary>Every case of uap-core's three official fixture files must pass, null and empty told apart.</summary>
public class UapFixtureTests
{
    // Interpreted (the results are the same): tiered compilation of ~1,000 rules would only compete with the other tests for CPU.
    private static readonly UserAgentParser Parser = new(new UserAgentParserOptions { CacheSize = 0, MatchTimeout = TimeSpan.FromSeconds(2), CompileRegexes = false });

    [Fact]
    public void UserAgentFixtures_AllPass()
        => AssertAll("test_ua.yaml", 1430, (c, info) => Compare(c, ("family", info.UserAgent.Family), ("major", info.UserAgent.Major),
            ("minor", info.UserAgent.Minor), ("patch", info.UserAgent.Patch)));

    [Fact]
    public void OsFixtures_AllPass()
        => AssertAll("test_os.yaml", 462, (c, info) => Compare(c, ("family", info.Os.Family), ("major", info.Os.Major),
            ("minor", info.Os.Minor), ("patch", info.Os.Patch), ("patch_minor", info.Os.PatchMinor)));

    [Fact]
    public void DeviceFixtures_AllPass()
        => AssertAll("test_device.yaml", 16116, (c, info) => Compare(c, ("family", info.Device.Family), ("brand", info.Device.Brand),
            ("model", info.Device.Model)));

    [Fact]
    public void VendoredJson_EqualsVendoredYaml()
    {
        var yaml = (YamlMappingNode)UapFixtures.Load("regexes.yaml");
        var json = UapFixtures.RulesJson();
        var compared = 0;
        foreach (var (key, value) in yaml.Children)
        {
            var section = ((YamlScalarNode)key).Value!;
            var yamlRules = ((YamlSequenceNode)value).Children;
            var jsonRules = json.GetProperty(section).EnumerateArray().ToList();
            Assert.Equal(yamlRules.Count, jsonRules.Count);
            for (var i = 0; i < yamlRules.Count; i++)
            {
                var fields = ((YamlMappingNode)yamlRules[i]).Children;
                Assert.Equal(fields.Count, jsonRules[i].EnumerateObject().Count());
                foreach (var (name, scalar) in fields)
                    Assert.Equal(UapFixtures.Scalar(scalar), jsonRules[i].GetProperty(((YamlScalarNode)name).Value!).GetString());
                compared++;
            }
        }
        Assert.True(compared > 1100, $"only {compared} rules");
    }

    private static void AssertAll(string file, int expectedCases, Func<Dictionary<string, string?>, UserAgentInfo, string?> check)
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var c in UapFixtures.Cases(file))
        {
            count++;
            var problem = check(c, Parser.Parse(c["user_agent_string"]));
            if (problem is not null)
                failures.Add(problem);
        }
        Assert.Equal(expectedCases, count);
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} cases failed:\n" + string.Join("\n", failures.Take(25)));
    }

    private static string? Compare(Dictionary<string, string?> c, params (string Field, string? Actual)[] fields)
    {
        foreach (var (field, actual) in fields)
        {
            var expected = c.GetValueOrDefault(field);
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
                return $"{c["user_agent_string"]}: {field} expected {Show(expected)} got {Show(actual)}";
        }
        return null;
    }

    private static string Show(string? value) => value is null ? "null" : $"'{value}'";
}
