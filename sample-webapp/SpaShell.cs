namespace SampleWebApp;

/// <summary>
/// The sample's single-page section: one HTML shell for every /app route, with client-side routing in
/// wwwroot/js/spa.js (links, history.pushState, the back button). The server sees only the first load; AutoTrack's
/// script, included with a plain script tag as any non-Razor page would, reports each route change.
/// </summary>
public static class SpaShell
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>App · Acme Analytics</title>
            <link rel="icon" href="/favicon.ico">
            <link rel="stylesheet" href="/css/site.css">
            <script src="/_thrivestack/autotrack.js" defer></script>
            <script src="/js/spa.js" defer></script>
        </head>
        <body>
        <header class="top">
            <a class="brand" href="/"><img src="/images/logo.svg" alt="" width="28" height="28"> Acme Analytics</a>
            <nav>
                <a href="/app" data-route>Home</a>
                <a href="/app/projects" data-route>Projects</a>
                <a href="/app/settings" data-route>Settings</a>
                <a class="events" href="/_thrivestack/events">Events sent</a>
            </nav>
        </header>
        <main id="view"></main>
        <footer>AutoTrack sample · a single-page app: each route change is a <code>page_visit</code>, reported by AutoTrack's script.</footer>
        </body>
        </html>
        """;
}
