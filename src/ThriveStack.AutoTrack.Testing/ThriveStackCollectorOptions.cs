namespace ThriveStack.AutoTrack.Testing;

/// <summary>How a <see cref="ThriveStackCollector"/> listens and what key it accepts.</summary>
public sealed class ThriveStackCollectorOptions
{
    /// <summary>The API key the collector accepts in <c>x-api-key</c>. Default: a random key per collector.</summary>
    public string ApiKey { get; set; } = "test_" + Guid.NewGuid().ToString("N");

    /// <summary>The TCP port on 127.0.0.1. Default 0: a free port chosen by the system.</summary>
    public int Port { get; set; }

    /// <summary>Largest body accepted, in bytes. Default 16 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;
}
