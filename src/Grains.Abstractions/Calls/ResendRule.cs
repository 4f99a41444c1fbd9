using System.Reflection;

namespace CliProxy.Abstractions.Calls;

/// <summary>When <see cref="ResendFilter"/> sends a failed grain call once more.</summary>
public enum ResendRule
{
    /// <summary>Never (a method without a resend attribute: its caller decides, e.g. the next pass of a poll).</summary>
    Never,

    /// <summary>Only when the call certainly did not run (<see cref="ResendWhenNotDeliveredAttribute"/>; see <see cref="ResendPolicy"/>).</summary>
    WhenNotDelivered,

    /// <summary>After any transient failure (<see cref="RetrySafeAttribute"/>; see <see cref="ResendPolicy"/>).</summary>
    AfterTransientFailure,
}

/// <summary>The rule a grain interface method declares, and the rule of one call of it.</summary>
public static class ResendRules
{
    /// <summary>
    /// The rule <paramref name="method"/> declares by its attribute (<see cref="ResendRule.Never"/> without one).
    /// Throws <see cref="InvalidOperationException"/> for both attributes at once, or for an attributed method
    /// that does not return <see cref="Task"/> or <see cref="Task{TResult}"/>.
    /// </summary>
    public static ResendRule Declared(MethodInfo method)
    {
        var safe = method.IsDefined(typeof(RetrySafeAttribute), false);
        var once = method.IsDefined(typeof(ResendWhenNotDeliveredAttribute), false);
        if (!safe && !once) return ResendRule.Never;
        var name = $"{method.DeclaringType?.Name}.{method.Name}";
        if (safe && once) throw new InvalidOperationException($"{name} has both resend attributes");
        if (!typeof(Task).IsAssignableFrom(method.ReturnType)) throw new InvalidOperationException($"{name} has a resend attribute but does not return a Task");
        return safe ? ResendRule.AfterTransientFailure : ResendRule.WhenNotDelivered;
    }

    /// <summary>
    /// The rule of one call: the declared <paramref name="rule"/>, raised to <see cref="ResendRule.AfterTransientFailure"/>
    /// when the method resends undelivered calls and one of <paramref name="arguments"/> says the call is retry-safe.
    /// </summary>
    public static ResendRule ForCall(ResendRule rule, IEnumerable<object?> arguments) =>
        rule == ResendRule.WhenNotDelivered && arguments.Any(a => a is IRetrySafeRequest { IsRetrySafe: true })
            ? ResendRule.AfterTransientFailure
            : rule;
}
