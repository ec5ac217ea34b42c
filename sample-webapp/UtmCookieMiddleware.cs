namespace SampleWebApp;

/// <summary>
/// Keeps the UTM parameters a visitor arrived with in a first-party cookie, so the sign-up event can credit the campaign.
/// (Page visits carry UTM fields by themselves; this is only for attributing the later sign-up.)
/// </summary>
public sealed class UtmCookieMiddleware(RequestDelegate next)
{
    public Task Invoke(HttpContext context)
    {
        var query = context.Request.Query;
        if (query.ContainsKey("utm_source") || query.ContainsKey("utm_campaign"))
        {
            var utm = QueryStringOf(query, "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");
            context.Response.Cookies.Append("sample_utm", utm, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(30) });
        }
        return next(context);
    }

    private static string QueryStringOf(IQueryCollection query, params string[] names)
        => string.Join("&", names.Where(n => !string.IsNullOrEmpty(query[n])).Select(n => $"{n}={Uri.EscapeDataString(query[n].ToString()[..Math.Min(query[n].ToString().Length, 200)])}"));
}
