using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>
/// The README's "Testing your app" example, as written there, so it keeps working. It also runs the sample with no
/// API key, so the in-app dev collector is configured: the factory must still test the app.
/// </summary>
public class ReadmeExampleTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Pricing_FromNewsletter_SendsAPageVisitWithItsCampaign()
    {
        var app = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddThriveStackTesting()));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("Accept", "text/html");
        client.DefaultRequestHeaders.Add("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36");

        await client.GetAsync("/pricing?utm_source=newsletter");

        var recorder = app.Services.GetRequiredService<ThriveStackEventRecorder>();
        var visit = await recorder.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Equal("newsletter", visit.Property("utm_source"));
    }
}
