namespace Hanlin.Training.FineTuning;

/// <summary>The mutable position of a run between checkpoints; <see cref="CheckpointState"/> is its saved form.</summary>
internal sealed class RunState(CheckpointState saved)
{
    public int GlobalStep { get; set; } = saved.GlobalStep;

    public int StageIndex { get; set; } = saved.StageIndex;

    public int StepInStage { get; set; } = saved.StepInStage;

    public long MicroBatches { get; set; } = saved.MicroBatchesConsumed;

    public double? BestValidationLoss { get; set; } = saved.BestValidationLoss;

    public int? BestStep { get; set; } = saved.BestStep;

    public int EvaluationsWithoutImprovement { get; set; } = saved.EvaluationsWithoutImprovement;

    public double? TrainLoss { get; set; } = saved.TrainLoss;

    public bool Completed { get; set; } = saved.Completed;

    public bool StoppedEarly { get; set; } = saved.StoppedEarly;

    public List<EvaluationResult> Evaluations { get; } = [.. saved.Evaluations];

    public CheckpointState ToState(string options, long metricsLength, long microBatchesPerEpoch) => new()
    {
        GlobalStep = GlobalStep,
        StageIndex = StageIndex,
        StepInStage = StepInStage,
        MicroBatchesConsumed = MicroBatches,
        Epoch = MicroBatches / microBatchesPerEpoch,
        Index = MicroBatches % microBatchesPerEpoch,
        BestValidationLoss = BestValidationLoss,
        BestStep = BestStep,
        EvaluationsWithoutImprovement = EvaluationsWithoutImprovement,
        TrainLoss = TrainLoss,
        Evaluations = [.. Evaluations],
        MetricsLength = metricsLength,
        Completed = Completed,
        StoppedEarly = StoppedEarly,
        Options = options,
    };
}
