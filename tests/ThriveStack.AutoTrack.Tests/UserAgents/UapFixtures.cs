using YamlDotNet.RepresentationModel;

namespace ThriveStack.AutoTrack.Tests.UserAgents;

/// <summary>Reads uap-core's YAML fixtures, keeping null (an empty plain value) apart from '' (an empty quoted string).</summary>
internal static class UapFixtures
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "UserAgents", "Fixtures", file);

    /// <summary>The vendored rules as JSON (<c>Data/regexes.json</c>), which the table compiler reads.</summary>
    public static System.Text.Json.JsonElement RulesJson()
        => System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(PathOf("regexes.json"))).RootElement;

    public static YamlNode Load(string file)
    {
        using var reader = new StreamReader(PathOf(file));
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents[0].RootNode;
    }

    public static IEnumerable<Dictionary<string, string?>> Cases(string file)
    {
        var root = (YamlMappingNode)Load(file);
        foreach (YamlMappingNode item in (YamlSequenceNode)root.Children[new YamlScalarNode("test_cases")])
            yield return item.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => Scalar(p.Value));
    }

    public static string? Scalar(YamlNode node)
    {
        var scalar = (YamlScalarNode)node;
        if (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && (scalar.Value is null or "" or "~" or "null"))
            return null;
        return scalar.Value;
    }
}
