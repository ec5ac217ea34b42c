using System.Diagnostics;
using System.Reflection;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>The sample app (or the load test's trivial app) as a real child process (<c>dotnet SampleWebApp.dll</c>) on a free loopback port.</summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The process id (to read its memory maps).</summary>
    public int Id => _process.Id;

    /// <summary>What the app wrote to stdout and stderr so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static Task<SampleProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
        => StartAsync(environment, typeof(Program).Assembly.Location, SampleSourceDirectory());

    /// <summary>
    /// The load test's trivial minimal-API app (<c>tests/load/TrivialApp</c>): a 2 KB HTML page at <c>/pricing</c>, with
    /// AutoTrack's two lines when <c>TRACKING=on</c>.
    /// </summary>
    public static Task<SampleProcess> StartTrivialAppAsync(IReadOnlyDictionary<string, string> environment)
    {
        var path = typeof(SampleProcess).Assembly.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TrivialApp").Value!;
        return StartAsync(environment, Path.GetFullPath(path), Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    private static async Task<SampleProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string assembly, string workingDirectory)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(assembly);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(address.ToString());
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
            info.Environment[key] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var sample = new SampleProcess(process, address);
        process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await sample.WaitUntilUpAsync();
        return sample;
    }

    /// <summary>Kills the process at once, as a crash or an OOM kill would: no shutdown, no drain.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilUpAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException("The sample exited at startup:\n" + Output);
            try
            {
                using var response = await client.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The sample did not answer /health within 60 s:\n" + Output);
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string SampleSourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "sample-webapp");
            if (File.Exists(Path.Combine(candidate, "appsettings.json")))
                return candidate;
        }
        throw new DirectoryNotFoundException("sample-webapp not found above " + AppContext.BaseDirectory);
    }
}
