namespace ThriveStack.AutoTrack.IntegrationTests;

internal static class DemoUsers
{
    public const string JohnId = "18f716ac-37a4-464f-adb7-3cc30032308c";
    public const string AcmeId = "ac8db7ba-5139-4911-ba6e-523fd9c4704b";
}
