using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Tests.Events;

public class WireFormatTests
{
    public static TheoryData<string> WriterCases => ["standard", "bare", "empty properties", "empty context", "partial context", "no user", "offset timestamp", "values", "unicode"];

    [Theory]
    [MemberData(nameof(WriterCases))]
    public void EventWriter_WritesWhatTheAttributesDeclare_ByteForByte(string name)
    {
        foreach (var e in WriterCase(name))
        {
            var options = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
            var expected = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(expected, options))
                JsonSerializer.Serialize(writer, e, ThriveStackJsonContext.Default.ThriveStackEvent);
            var actual = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(actual, options))
                EventWriter.Write(writer, e);

            Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan), Encoding.UTF8.GetString(actual.WrittenSpan));
        }
    }

    private static IEnumerable<ThriveStackEvent> WriterCase(string name)
    {
        switch (name)
        {
            case "standard":
                foreach (var standard in StandardEventExamples.Names)
                    yield return StandardEventExamples.Get(standard).Event;
                break;
            case "bare":
                yield return new ThriveStackEvent("report_exported");
                break;
            case "empty properties":
                yield return new ThriveStackEvent("report_exported", "u1") { Properties = [] };
                break;
            case "empty context":
                yield return new ThriveStackEvent("report_exported", "u1") { Context = new EventContext() };
                break;
            case "partial context":
                yield return new ThriveStackEvent("report_exported", "u1") { Context = new EventContext { SessionId = "s", Source = "product" } };
                yield return new ThriveStackEvent("report_exported", "u1") { Context = new EventContext { GroupId = "g", DeviceId = "d" } };
                break;
            case "no user":
                yield return new ThriveStackEvent("report_exported").WithProperty("format", "csv");
                break;
            case "offset timestamp":
                yield return new ThriveStackEvent("report_exported", "u1") { Timestamp = new DateTimeOffset(2026, 11, 28, 10, 0, 0, 123, TimeSpan.FromHours(5.5)).AddTicks(4567) };
                yield return new ThriveStackEvent("report_exported", "u1") { Timestamp = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero) };
                break;
            case "values":
                yield return new ThriveStackEvent("report_exported", "u1")
                    .WithProperty("rows", 42).WithProperty("ratio", 0.25).WithProperty("price", 19.90m).WithProperty("ok", true)
                    .WithProperty("none", null).WithProperty("when", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc))
                    .WithProperty("tags", new[] { "a", "b" }).WithProperty("nested", new Dictionary<string, object?> { ["k"] = 1 });
                break;
            default:
                yield return new ThriveStackEvent("report_exported", "ünïcödé \"quoted\" <tag> & \u2028").WithProperty("title", "Übersicht — 報告 😀");
                break;
        }
    }

    [Theory]
    [MemberData(nameof(StandardEventExamples.Names), MemberType = typeof(StandardEventExamples))]
    public void StandardEvent_Serialized_MatchesDocumentedExample(string name)
    {
        var (e, expected) = StandardEventExamples.Get(name);

        var actual = Serialize(e);

        AssertJsonEqual(expected, actual);
    }

    [Fact]
    public void Event_Serialized_FieldsInDocumentedOrder()
    {
        var (e, _) = StandardEventExamples.Get("page_visit");

        var names = JsonDocument.Parse(Serialize(e)).RootElement[0].EnumerateObject().Select(p => p.Name);

        Assert.Equal(["event_name", "properties", "user_id", "timestamp", "context"], names);
    }

    [Fact]
    public void Event_WithoutOptionalFields_OmitsThem()
    {
        var e = new ThriveStackEvent("report_exported", "u1") { Context = new EventContext(), Properties = [] };

        Assert.Equal("""[{"event_name":"report_exported","user_id":"u1"}]""", Serialize(e));
    }

    [Fact]
    public void Context_PartiallySet_WritesOnlySetFields()
    {
        var e = new ThriveStackEvent("report_exported", "u1") { Context = new EventContext { SessionId = "s1" } };

        Assert.Equal("""[{"event_name":"report_exported","user_id":"u1","context":{"session_id":"s1"}}]""", Serialize(e));
    }

    [Theory]
    [InlineData(0, "2024-01-15T10:30:00Z")]
    [InlineData(123, "2024-01-15T10:30:00.123Z")]
    public void Timestamp_AnyOffset_WrittenAsUtcWithZToTheMillisecond(int milliseconds, string expected)
    {
        var local = new DateTimeOffset(2024, 1, 15, 12, 30, 0, milliseconds, TimeSpan.FromHours(2)).AddTicks(4567);
        var e = new ThriveStackEvent("report_exported", "u1") { Timestamp = local };

        var json = JsonDocument.Parse(Serialize(e)).RootElement[0];

        Assert.Equal(expected, json.GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Numbers_DecimalAndDouble_WrittenAsGiven()
    {
        var e = new ThriveStackEvent("plan_upgraded", "u1")
            .WithProperty("revenue", 49.99m)
            .WithProperty("value", 49.99)
            .WithProperty("ratio", 0.1f)
            .WithProperty("count", 3)
            .WithProperty("big", long.MaxValue);

        var json = Serialize(e);

        Assert.Contains("\"revenue\":49.99,", json);
        Assert.Contains("\"value\":49.99,", json);
        Assert.Contains("\"ratio\":0.1,", json);
        Assert.Contains("\"count\":3,", json);
        Assert.Contains("\"big\":9223372036854775807", json);
    }

    [Fact]
    public void Properties_AnyJsonValue_WrittenAsJson()
    {
        var e = new ThriveStackEvent("report_exported", "u1")
            .WithProperty("text", "héllo \"quoted\" <tag>")
            .WithProperty("flag", true)
            .WithProperty("nothing", null)
            .WithProperty("nested", new Dictionary<string, object?> { ["a"] = 1, ["b"] = new[] { "x", "y" } })
            .WithProperty("list", new List<object?> { 1, "two", null, false })
            .WithProperty("node", JsonNode.Parse("""{"k":[1,2]}"""))
            .WithProperty("element", JsonDocument.Parse("[true]").RootElement)
            .WithProperty("id", Guid.Parse("ed1adb3a-9772-48ef-b620-e5e6d438fb82"))
            .WithProperty("when", new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero))
            .WithProperty("day", new DateOnly(2024, 1, 15))
            .WithProperty("kind", DayOfWeek.Monday)
            .WithProperty("link", new Uri("https://acme.com/a?b=c"));

        var props = JsonNode.Parse(Serialize(e))![0]!["properties"]!;

        var expected = JsonNode.Parse("""
            {"text":"héllo \"quoted\" <tag>","flag":true,"nothing":null,"nested":{"a":1,"b":["x","y"]},
             "list":[1,"two",null,false],"node":{"k":[1,2]},"element":[true],"id":"ed1adb3a-9772-48ef-b620-e5e6d438fb82",
             "when":"2024-01-15T10:30:00Z","day":"2024-01-15","kind":"Monday","link":"https://acme.com/a?b=c"}
            """);
        Assert.True(JsonNode.DeepEquals(expected, props), props.ToJsonString());
    }

    [Fact]
    public void NonAscii_WrittenAsUtf8NotEscaped()
    {
        var e = new ThriveStackEvent("report_exported", "u1").WithProperty("name", "Zoë 日本");

        Assert.Contains("Zoë 日本", Serialize(e));
    }

    [Fact]
    public void Batch_SeveralEvents_IsOneTopLevelArray()
    {
        var events = new[] { "signed_up", "account_created", "feature_used", "invite_sent", "page_visit" }.Select(n => StandardEventExamples.Get(n).Event).ToList();

        var root = JsonDocument.Parse(BatchBuffer.Serialize(events)).RootElement;

        Assert.Equal(JsonValueKind.Array, root.ValueKind);
        Assert.Equal(5, root.GetArrayLength());
    }

    internal static string Serialize(params ThriveStackEvent[] events) => Encoding.UTF8.GetString(BatchBuffer.Serialize(events));

    internal static void AssertJsonEqual(string expected, string actual)
    {
        var e = JsonNode.Parse(expected);
        var a = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(e, a), $"expected {e!.ToJsonString()}\nactual   {a!.ToJsonString()}");
    }
}
