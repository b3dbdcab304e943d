using TorchSharp.Modules;
using AdamW = Hanlin.Training.FineTuning.AdamW;
using static TorchSharp.torch;

namespace Hanlin.Training.Tests.FineTuning;

public sealed class AdamWTests
{
    private static Tensor Objective(Parameter p) => p.pow(2).sum().add(p.sin().sum());

    [Fact]
    public void Updates_match_torch_optim_AdamW_step_for_step()
    {
        using var generator = new Generator(3);
        using var start = randn([4, 5], generator: generator);
        using var ours = new Parameter(start.clone());
        using var theirs = new Parameter(start.clone());
        using var adam = new AdamW([ours], 0.9, 0.95, 1e-8);
        using var reference = optim.AdamW([theirs], lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.1);

        for (var step = 0; step < 5; step++)
        {
            adam.ZeroGrad();
            Objective(ours).backward();
            adam.Step(0.01, 0.1);
            reference.zero_grad();
            Objective(theirs).backward();
            reference.step();
        }

        Assert.Equal(5, adam.StepCount);
        Assert.True(ours.allclose(theirs, rtol: 1e-6, atol: 1e-7), "AdamW diverged from torch.optim.AdamW");
    }

    [Fact]
    public void Bf16_weights_keep_fp32_masters_so_small_updates_accumulate()
    {
        using var weights = new Parameter(ones([8], ScalarType.BFloat16));
        using var adam = new AdamW([weights], 0.9, 0.999, 1e-8);

        // Each step moves by about lr = 1e-3, under bf16's resolution near 1 (2^-7), so only a master copy accumulates them.
        for (var step = 0; step < 20; step++)
        {
            adam.ZeroGrad();
            weights.sum().backward();
            adam.Step(1e-3, 0);
        }

        Assert.True(weights.to(ScalarType.Float32).max().item<float>() < 0.99f);
    }

    [Fact]
    public void Saved_state_restores_the_exact_trajectory()
    {
        using var generator = new Generator(11);
        using var start = randn([6], generator: generator);
        using var a = new Parameter(start.clone());
        using var adamA = new AdamW([a], 0.9, 0.999, 1e-8);
        for (var step = 0; step < 3; step++)
        {
            adamA.ZeroGrad();
            Objective(a).backward();
            adamA.Step(0.05, 0.01);
        }

        using var buffer = new MemoryStream();
        adamA.Save(new BinaryWriter(buffer));
        using var b = new Parameter(a.detach().clone());
        using var adamB = new AdamW([b], 0.9, 0.999, 1e-8);
        buffer.Position = 0;
        adamB.Load(new BinaryReader(buffer));
        foreach (var (parameter, adam) in new[] { (a, adamA), (b, adamB) })
        {
            adam.ZeroGrad();
            Objective(parameter).backward();
            adam.Step(0.05, 0.01);
        }

        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
        Assert.Equal(4, adamB.StepCount);
    }
}
