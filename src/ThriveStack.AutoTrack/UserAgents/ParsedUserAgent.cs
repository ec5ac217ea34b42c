namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>The browser or client of a user agent, with uap-core's semantics: unknown parts are null, never empty.</summary>
/// <param name="Family">The browser or client, e.g. <c>Chrome</c>; <c>Other</c> when no rule matched.</param>
/// <param name="Major">Major version, or null.</param>
/// <param name="Minor">Minor version, or null.</param>
/// <param name="Patch">Patch version, or null.</param>
/// <param name="PatchMinor">Fourth version part, or null.</param>
public sealed record ParsedUserAgent(string Family, string? Major = null, string? Minor = null, string? Patch = null, string? PatchMinor = null);

/// <summary>The operating system of a user agent.</summary>
/// <param name="Family">The OS, e.g. <c>Windows</c>, <c>iOS</c>; <c>Other</c> when no rule matched.</param>
/// <param name="Major">Major version, or null.</param>
/// <param name="Minor">Minor version, or null.</param>
/// <param name="Patch">Patch version, or null.</param>
/// <param name="PatchMinor">Fourth version part, or null.</param>
public sealed record ParsedOs(string Family, string? Major = null, string? Minor = null, string? Patch = null, string? PatchMinor = null);

/// <summary>The device of a user agent.</summary>
/// <param name="Family">The device, e.g. <c>iPhone</c>, <c>Spider</c>; <c>Other</c> when no rule matched.</param>
/// <param name="Brand">The maker, or null.</param>
/// <param name="Model">The model, or null.</param>
public sealed record ParsedDevice(string Family, string? Brand = null, string? Model = null);
