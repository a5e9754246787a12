using BenchmarkDotNet.Running;

// Run (Release, outside the test suite):
//   dotnet run -c Release --project bench/micro/Cinnabar.Micro -- --job short --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
