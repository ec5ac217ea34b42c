// Added to web apps by the ThriveStack.AutoTrack package (build/ThriveStack.AutoTrack.props): a check that fails the app
// at startup, with one clear message, when it uses AutoTrack without builder.Services.AddThriveStack().
// Opt out with <ThriveStackRegistrationCheck>false</ThriveStackRegistrationCheck>.
[assembly: Microsoft.AspNetCore.Hosting.HostingStartup(typeof(ThriveStack.AutoTrack.Hosting.RegistrationCheckStartup))]
