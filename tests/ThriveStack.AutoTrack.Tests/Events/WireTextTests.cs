using System.Text;
using System.Text.Json;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Tests.UserAgents;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Tests.Events;

/// <summary>
/// Values written from bytes encoded ahead of time (<see cref="WireText"/>, <see cref="EncodedUserAgent"/>): the same
/// bytes as writing the string, for AutoTrack's constants, for any text, and for every user agent of uap-core's fixtures.
/// </summary>
public class WireTextTests
{
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = WireText.Encoder, SkipValidation = true };
    private static readonly UserAgentParser Parser = new(new UserAgentParserOptions { MatchTimeout = TimeSpan.FromSeconds(5) });

    [Theory]
    [InlineData(StandardEvents.PageVisit)]
    [InlineData(StandardEvents.FeatureUsed)]
    [InlineData(EventSources.Product)]
    [InlineData(EventSources.Marketing)]
    [InlineData("export_report")]
    public void Constant_SameBytesAsTheString_AndAnEqualCopyToo(string value)
    {
        var copy = new string(value.AsSpan()); // equal, not the interned constant: the ordinary path
        Assert.NotSame(value, copy);

        var expected = Write(w => w.WriteString(Name, value));
        Assert.Equal(expected, Write(w => WireText.WriteString(w, Name, value)));
        Assert.Equal(expected, Write(w => WireText.WriteString(w, Name, copy)));
    }

    [Fact]
    public void AnyText_EncodedAhead_SameBytesAsTheString()
    {
        // Fixed seed: characters the encoder escapes (quotes, backslash, controls, U+2028), non-ASCII, emoji (pairs).
        var random = new Random(20261202);
        char[] alphabet = ['a', 'Z', '0', ' ', '"', '\\', '/', '<', '>', '&', '\'', '+', '\n', '\t', '\u0001', '\u007f', 'é', 'ß', '中', '\u2028', '\u00a0'];
        for (var i = 0; i < 2_000; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(0, 24);
            for (var j = 0; j < length; j++)
            {
                if (random.Next(10) == 0)
                    text.Append("😀");
                else
                    text.Append(alphabet[random.Next(alphabet.Length)]);
            }
            var value = text.ToString();
            var encoded = WireText.TryEncode(value);
            Assert.NotNull(encoded);
            Assert.Equal(Write(w => w.WriteString(Name, value)), Write(w => WireText.WriteString(w, Name, value, encoded)));
        }
    }

    [Fact]
    public void InvalidText_NotEncoded_TheWriterReportsIt()
    {
        Assert.Null(WireText.TryEncode("lone \ud800 surrogate"));
        Assert.Null(WireText.TryEncode(null));
    }

    [Fact]
    public void EncodedUserAgent_MadeOnce_PerParse()
    {
        const string chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        var info = Parser.Parse(chrome);

        var encoded = info.Encoded;

        Assert.Same(encoded, info.Encoded);
        Assert.Equal("\"Chrome\"", Write(w => w.WriteStringValue(encoded.Browser!.Value)));
        Assert.Equal("\"131.0\"", Write(w => w.WriteStringValue(encoded.BrowserVersion!.Value)));
        Assert.Equal("\"desktop\"", Write(w => w.WriteStringValue(encoded.DeviceType!.Value)));
    }

    [Fact]
    public void EveryFixtureUserAgent_WrittenEncoded_SameBytesAsTheDictionary()
    {
        var agents = UapFixtures.Cases("test_ua.yaml").Select(c => c["user_agent_string"]).OfType<string>().Distinct().ToArray();
        Assert.True(agents.Length > 1_000);
        foreach (var agent in agents)
        {
            foreach (var hints in new[] { false, true })
            {
                var info = Parser.Parse(agent);
                var deferred = new DeferredProperties();
                UserAgentEnrichment.AddTo(deferred, DeferredPropertiesTests.Request(agent, hints, "?1", "\"Android\""), info);
                var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
                UserAgentEnrichment.AddTo(dictionary, DeferredPropertiesTests.Request(agent, hints, "?1", "\"Android\""), info);

                var written = Write(w =>
                {
                    w.WriteStartObject();
                    deferred.WriteMembers(w);
                    w.WriteEndObject();
                });
                Assert.Equal(Write(w => PropertyValues.Write(w, dictionary)), written);
            }
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
