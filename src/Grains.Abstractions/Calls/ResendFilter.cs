using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace CliProxy.Abstractions.Calls;

/// <summary>
/// The retry rules of grain calls, in one place: an outgoing grain-call filter on every silo and
/// cluster client that sends a failed call again as its interface method declares
/// (<see cref="RetrySafeAttribute"/>, <see cref="ResendWhenNotDeliveredAttribute"/>; how often and when:
/// <see cref="ResendPolicy"/>), so that callers just call the grain and a call survives the loss or the
/// graceful stop of its silo. A failure that is not resent, and the last one, reach the caller as they are.
/// </summary>
/// <remarks>
/// A further attempt is a new call of the same method on the same grain reference with the arguments
/// of the first, not the first request sent again: a target in this process clears a request's
/// arguments once it has run it, and after a timeout it may still be running it.
/// </remarks>
/// <param name="logger">Where each resend is logged (debug).</param>
public sealed partial class ResendFilter(ILogger<ResendFilter> logger) : IOutgoingGrainCallFilter
{
    // The back-off waits in real time: a test clock registered in the host must not hold up its grain calls
    // (the policy's timing is tested on its own, with a fake clock).
    private static TimeProvider Time => TimeProvider.System;

    private readonly ConcurrentDictionary<MethodInfo, ResendRule> _rules = new();

    // Set only while this filter makes a further attempt, so that the attempt itself is not resent again.
    private readonly AsyncLocal<StrongBox<bool>?> _resending = new();

    /// <inheritdoc />
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (_resending.Value is { Value: true } mark)
        {
            mark.Value = false;
            await context.Invoke();
            return;
        }
        var declared = _rules.GetOrAdd(context.InterfaceMethod, ResendRules.Declared);
        if (declared == ResendRule.Never)
        {
            await context.Invoke();
            return;
        }
        var arguments = Arguments(context.Request);
        var attempts = 0;
        var result = await ResendPolicy.RunAsync(async () =>
        {
            if (attempts++ > 0) return await CallAgain(context.InterfaceMethod, context.Grain, arguments);
            await context.Invoke();
            return context.Result;
        }, ResendRules.ForCall(declared, arguments), Time, e => LogResend(logger, context.InterfaceName, context.MethodName, e.GetType().Name, e.Message));
        if (attempts > 1) context.Result = result;
    }

    private static object?[] Arguments(Orleans.Serialization.Invocation.IInvokable request)
    {
        var arguments = new object?[request.GetArgumentCount()];
        for (var i = 0; i < arguments.Length; i++) arguments[i] = request.GetArgument(i);
        return arguments;
    }

    private async Task<object?> CallAgain(MethodInfo method, object grain, object?[] arguments)
    {
        Task call;
        _resending.Value = new StrongBox<bool>(true);
        try
        {
            call = (Task)method.Invoke(grain, BindingFlags.DoNotWrapExceptions, null, arguments, null)!;
        }
        finally
        {
            _resending.Value = null;
        }
        await call;
        return method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(call) : null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending {Interface}.{Method} again after {Failure}: {Error}")]
    private static partial void LogResend(ILogger logger, string @interface, string method, string failure, string error);
}
