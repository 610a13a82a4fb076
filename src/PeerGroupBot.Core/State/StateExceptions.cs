namespace PeerGroupBot.Core.State;

/// <summary>A conditional write lost: the document exists (create) or changed (replace/delete).</summary>
public sealed class StateConflictException(string key)
    : Exception($"The document '{key}' was changed by someone else.")
{
    public string Key { get; } = key;
}

/// <summary>The store could not be reached or failed; nothing was written by the failed call.</summary>
public sealed class StateUnavailableException(string message, Exception? inner = null)
    : Exception(message, inner);

/// <summary>A stored document could not be read as the expected type. It is left untouched.</summary>
public sealed class StateCorruptException(string key, Exception? inner = null)
    : Exception($"The document '{key}' could not be read; it has been left untouched.", inner)
{
    public string Key { get; } = key;
}

/// <summary><c>UpdateAsync</c> kept losing races and gave up (bounded retries).</summary>
public sealed class StateContentionException(string key, int attempts)
    : Exception($"The document '{key}' is busy: {attempts} attempts to update it lost to other writers.")
{
    public string Key { get; } = key;
}
