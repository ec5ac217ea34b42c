using System.Reflection;
using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The pipeline's log messages: their event ids are a contract (alerts filter on them), and none can carry a secret.</summary>
public class DispatchLogTests
{
    private static IEnumerable<(string Method, LoggerMessageAttribute Message)> Messages()
        => typeof(DispatchLog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => (m.Name, m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Item2 is not null)
            .Select(m => (m.Name, m.Item2!));

    [Fact]
    public void EventIds_AreTheDocumentedOnes()
    {
        var ids = Messages().ToDictionary(m => m.Method, m => m.Message.EventId);

        Assert.Equal(new Dictionary<string, int>
        {
            ["ApiKeyMissing"] = LogEvents.ApiKeyMissing,
            ["KeptLocally"] = LogEvents.EventsKeptLocally,
            ["Started"] = LogEvents.DispatcherStarted,
            ["SpoolUnavailable"] = LogEvents.SpoolUnavailable,
            ["SpoolResumed"] = LogEvents.SpoolResumed,
            ["SpoolFull"] = LogEvents.SpoolFull,
            ["BacklogFailed"] = LogEvents.BacklogFailed,
            ["EventTooLarge"] = LogEvents.EventTooLarge,
            ["EventNotSerializable"] = LogEvents.EventNotSerializable,
            ["QueuedEventsDropped"] = LogEvents.QueuedEventsDropped,
            ["SpoolWriteFailed"] = LogEvents.SpoolWriteFailed,
            ["DispatcherFailed"] = LogEvents.DispatcherFailed,
            ["EventRejected"] = LogEvents.EventRejected,
            ["EventUndeliverable"] = LogEvents.EventUndeliverable,
        }, ids);
        Assert.Equal([1, 2, 7, 8, 9, 10, 21, 22, 23, 24, 25, 28, 29, 30], ids.Values.Order()); // the numbers themselves never change
    }

    [Fact]
    public void NoMessage_TakesAnythingThatCouldHoldTheKeyOrAnEventsValues()
    {
        // Records are named, never shown: the only strings a message takes are names, paths, reasons and exception types.
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "kind", "endpoint", "path", "exceptionType", "problem", "backlog", "eventName", "reason", "api" };
        var parameters = typeof(DispatchLog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .SelectMany(m => m.GetParameters())
            .Where(p => p.ParameterType == typeof(string))
            .Select(p => p.Name!)
            .Distinct();

        Assert.All(parameters, name => Assert.Contains(name, allowed));
    }
}
