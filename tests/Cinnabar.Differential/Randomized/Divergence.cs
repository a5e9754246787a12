using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Randomized;

/// <summary>The first reply that differs in a replay: its index, both replies and why they differ.</summary>
public sealed record Divergence(int Index, string Command, RespValue Oracle, RespValue Cinnabar, string Reason);
