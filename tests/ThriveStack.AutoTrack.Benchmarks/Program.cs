using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project tests/ThriveStack.AutoTrack.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point.</summary>
public partial class Program;
