using Hanlin.Training.FineTuning;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hanlin.Training.Tests.FineTuning;

public sealed class GradientClippingTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(1000)]
    public void Clipping_matches_torch_clip_grad_norm_on_the_same_gradients(double maxNorm)
    {
        using var generator = new Generator(9);
        using var a = randn([3, 4], generator: generator);
        using var b = randn([5], generator: generator);
        Parameter[] theirs = [new Parameter(a.clone()), new Parameter(b.clone())];
        Tensor[] ours = [a.clone().requires_grad_(), b.clone().requires_grad_()];
        foreach (var set in new[] { theirs.Cast<Tensor>().ToArray(), ours })
        {
            set[0].pow(3).sum().add(set[1].exp().sum()).backward();
        }

        var expected = nn.utils.clip_grad_norm_(theirs, maxNorm);
        var norm = GradientClipping.ClipByGlobalNorm(ours, maxNorm);

        Assert.Equal(expected, norm, 4);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(ours[i].grad!.allclose(theirs[i].grad!, rtol: 1e-6, atol: 1e-7));
        }
    }
}
