using Hanlin.Core.Errors;
using Hanlin.Server.Errors;

namespace Hanlin.Server.Hosting;

/// <summary>Holds API requests until start-up finished; answers 503 <c>not_ready</c> if it failed.</summary>
internal sealed class ReadinessFilter : IEndpointFilter
{
    private readonly ServerReadiness _readiness;

    public ReadinessFilter(ServerReadiness readiness) => _readiness = readiness;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!_readiness.IsReady)
        {
            try
            {
                await _readiness.Ready.WaitAsync(context.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new HanlinException(ServerErrorCodes.NotReady, "The server could not open its store or index: " + ex.Message, ex);
            }
        }

        return await next(context).ConfigureAwait(false);
    }
}
