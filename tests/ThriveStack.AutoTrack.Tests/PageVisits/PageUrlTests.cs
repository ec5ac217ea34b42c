using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.PageVisits;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

public class PageUrlTests
{
    private static readonly PrivacyOptions Privacy = new();

    [Theory]
    [InlineData("?a=1&b=2", "?a=1&b=2")]
    [InlineData("?token=abc", "?token=REDACTED")]
    [InlineData("?TOKEN=abc&x=1", "?TOKEN=REDACTED&x=1")]
    [InlineData("?x=1&my_access_token=abc", "?x=1&my_access_token=REDACTED")]
    [InlineData("?e%6Dail=a@b.c", "?e%6Dail=REDACTED")]
    [InlineData("?code=1&code=2", "?code=REDACTED&code=REDACTED")]
    [InlineData("?a=1&&b=2&", "?a=1&&b=2&")]
    [InlineData("?password", "?password")]
    [InlineData("?%zz=1&pwd=%zz", "?%zz=1&pwd=REDACTED")]
    [InlineData("?key=", "?key=REDACTED")]
    [InlineData("?old_PassWord_hint=x&page=2", "?old_PassWord_hint=REDACTED&page=2")] // a fragment of the name, any case
    [InlineData("?clientSECRETvalue=1", "?clientSECRETvalue=REDACTED")]
    [InlineData("?retoken=1&tok=2", "?retoken=REDACTED&tok=2")]
    public void ProcessQuery_RedactsSecretValuesAndKeepsTheRest(string query, string expected)
        => Assert.Equal(expected, PageUrl.ProcessQuery(query, Privacy, out _));

    [Fact]
    public void ProcessQuery_UtmParameters_DecodedTrimmedFirstWinsBounded()
    {
        PageUrl.ProcessQuery("?utm_source=news+letter&utm_source=second&UTM_MEDIUM=e%2Dmail&utm_campaign=" + new string('c', 5000) + "&utm_term=%20&utm_content=%E2%82%AC", Privacy, out var utm);

        Assert.NotNull(utm);
        Assert.Equal("news letter", utm.Source);
        Assert.Equal("e-mail", utm.Medium);
        Assert.Equal(PageUrl.MaxValueLength, utm.Campaign!.Length);
        Assert.Null(utm.Term);
        Assert.Equal("€", utm.Content);
    }

    [Fact]
    public void ProcessQuery_CustomRedactionList_Used()
    {
        var privacy = new PrivacyOptions();
        privacy.RedactedQueryParameters.Add("customer");
        privacy.RedactedQueryParameters.Remove("code");

        Assert.Equal("?customer=REDACTED&code=1", PageUrl.ProcessQuery("?customer=acme&code=1", privacy, out _));
    }
}
