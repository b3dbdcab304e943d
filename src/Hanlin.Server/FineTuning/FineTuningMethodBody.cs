namespace Hanlin.Server.FineTuning;

/// <summary>OpenAI's <c>method</c>: Hanlin trains <c>supervised</c> (LoRA on the chat examples).</summary>
public sealed record FineTuningMethodBody(string Type, FineTuningSupervisedBody Supervised);
