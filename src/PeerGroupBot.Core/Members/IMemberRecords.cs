namespace PeerGroupBot.Core.Members;

/// <summary>
/// What an adapter keeps about a member in documents of its own (Teams: how to reach them privately, and the team
/// records naming who added the bot), so <c>me export</c> lists it and <c>me erase</c> reaches it. The core's
/// <see cref="MemberData"/> calls every registered one.
/// </summary>
public interface IMemberRecords
{
    /// <summary>One line per kind of thing held for any of <paramref name="memberIds"/> (the member and their linked accounts), without secrets.</summary>
    Task<IReadOnlyList<string>> DescribeAsync(IReadOnlyList<string> memberIds, CancellationToken cancellationToken);

    /// <summary>Deletes or clears everything held for <paramref name="memberIds"/>. Called before the core deletes its own documents.</summary>
    Task EraseAsync(IReadOnlyList<string> memberIds, CancellationToken cancellationToken);
}
