using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Agenda;

/// <summary>The agenda as other features see it: topic polls add their winner, reminders read the lines.</summary>
public sealed class AgendaFeed(AgendaBook book, IOptions<AgendaOptions> options) : IAgendaFeed
{
    public async Task AddFromPollAsync(GroupDocument group, string topic, string pollId, CancellationToken cancellationToken)
    {
        var text = AgendaText.Clean(topic);
        var max = options.Value.MaxItemLength;
        if (text.Length > max) text = text[..(max - 1)].TrimEnd() + "…";
        if (text.Length == 0 || string.IsNullOrWhiteSpace(pollId)) return;
        // A tie kept as "keep both" sends several topics from one poll, so a topic is remembered by poll and text.
        var remembered = AgendaDocument.RememberedTopic(pollId, text);
        // Winning topics are what the group chose together, so they go on even when members have filled the agenda.
        await book.ChangeAsync(group, agenda => agenda.PollIds.Contains(remembered)
                || agenda.Items.Any(i => i.PollId == pollId && string.Equals(i.Text, text, StringComparison.OrdinalIgnoreCase))
            ? null
            : agenda with
            {
                Items = [.. agenda.Items, new AgendaItem { Id = AgendaBook.NewItemId(), Text = text, Source = AgendaItemSource.Poll, PollId = pollId }],
                PollIds = [.. agenda.PollIds.TakeLast(AgendaBook.RememberedPolls - 1), remembered],
            }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> GetLinesAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken)
    {
        var agenda = await book.ReadAsync(group, cancellationToken).ConfigureAwait(false);
        if (agenda.OccurrenceId == occurrenceId) return AgendaText.Lines(agenda);
        // A reminder for the session after the one still running: show what will carry over to it. Dated ids are
        // local "yyyy-MM-ddTHH:mm" times, so ordinal order is time order.
        if (agenda.OccurrenceStart is not null && occurrenceId != SessionOccurrence.UndatedId
            && string.CompareOrdinal(occurrenceId, agenda.OccurrenceId) > 0)
        {
            var carried = agenda.Items.Where(i => !i.Done).Select(i => i with { CarriedOver = true });
            return carried.Select((item, index) => AgendaText.Line(index + 1, item)).ToList();
        }
        return [];
    }
}
