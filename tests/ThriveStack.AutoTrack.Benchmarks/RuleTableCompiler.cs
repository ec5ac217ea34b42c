using System.Text.Json;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>Compiles uap-core's rules (as JSON) into the table the library embeds (<c>-- uap-table</c>).</summary>
internal static class RuleTableCompiler
{
    public static void Run(string jsonPath, string tablePath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
        var rules = UapRuleSet.Compile(document.RootElement);
        using (var file = File.Create(tablePath))
            rules.WriteTo(file);
        Console.WriteLine($"{rules.Rules.Length} rules, {rules.ClauseCount} clauses, {rules.Automaton.StateCount} states: {new FileInfo(tablePath).Length:N0} bytes in {tablePath}");
    }
}
