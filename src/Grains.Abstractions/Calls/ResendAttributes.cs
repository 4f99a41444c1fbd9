namespace CliProxy.Abstractions.Calls;

/// <summary>
/// On a grain interface method: running the call twice is harmless (a read, or a write that sets a value
/// as a whole), so after a transient failure (<see cref="CallFailures.IsTransient"/>: its silo died, the
/// connection broke, a timeout, the database was down) <see cref="ResendFilter"/> sends it once more —
/// the grain is then activated on a surviving silo. The method must return <see cref="Task"/> or
/// <see cref="Task{TResult}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RetrySafeAttribute : Attribute;

/// <summary>
/// On a grain interface method: the call must not run twice (it changes state relative to the current
/// one, e.g. a delete), so <see cref="ResendFilter"/> sends it once more only when it certainly did not
/// run (<see cref="CallFailures.IsUndelivered"/>), which includes every refusal of a silo that stops
/// gracefully: a rolling restart fails no such call. A call whose argument says it is retry-safe
/// (<see cref="IRetrySafeRequest"/>) is resent as if the method were <see cref="RetrySafeAttribute"/>.
/// The method must return <see cref="Task"/> or <see cref="Task{TResult}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ResendWhenNotDeliveredAttribute : Attribute;

/// <summary>
/// An argument that knows whether its own call may run twice, for a method whose calls differ in that
/// (<see cref="ResendWhenNotDeliveredAttribute"/>): e.g. a config edit is retry-safe when it is a
/// <c>PUT</c> or carries an <c>Idempotency-Key</c>.
/// </summary>
public interface IRetrySafeRequest
{
    /// <summary>True when running the call twice is harmless.</summary>
    bool IsRetrySafe { get; }
}
