using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Record;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Safety;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core;

public static class CoreServices
{
    /// <summary>
    /// Registers the core: router, directory, dialogs, timers and every feature's flow. The host (or a test) must
    /// also register an <see cref="IStateStore"/>, a <see cref="Security.KeyRing"/> and the platform messengers.
    /// </summary>
    public static IServiceCollection AddPeerGroupBotCore(this IServiceCollection services)
    {
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddOptions<SchedulingOptions>();
        services.TryAddSingleton<Documents>();
        services.TryAddSingleton<GroupDirectory>();
        services.TryAddSingleton<DialogStore>();
        services.TryAddSingleton<LinkCodes>();
        services.TryAddSingleton<MemberLinks>();
        services.TryAddSingleton<MemberContacts>();
        services.TryAddSingleton<IOutbound, Outbound.Outbound>();
        services.TryAddSingleton<UpdateRetries>();
        services.AddSingleton<ITimerHandler>(sp => sp.GetRequiredService<UpdateRetries>());
        services.TryAddSingleton<ITimerWakeup, NoTimerWakeup>();
        services.TryAddSingleton<ITimers, StoredTimers>();
        services.TryAddSingleton<TimerDispatcher>();
        services.TryAddSingleton<ConversationRouter>();

        // Safety: the risk check on every input, and the inputs it holds until the member chooses.
        services.TryAddSingleton<HeldInputs>();
        services.AddSingleton<ITimerHandler>(sp => sp.GetRequiredService<HeldInputs>());
        services.TryAddSingleton<SafetyCheck>();

        // Features, in the order their help is shown. Each registers its flow and the lookups it serves.
        services.AddSingleton<IFlow, SetupFlow>();
        services.AddOptions<PollOptions>();
        services.TryAddSingleton<PollStore>();
        services.TryAddSingleton<PollResults>();
        services.TryAddSingleton<PollCloser>();
        services.AddSingleton<ITimerHandler>(sp => sp.GetRequiredService<PollCloser>());
        services.TryAddSingleton<PollNudger>();
        services.AddSingleton<ITimerHandler>(sp => sp.GetRequiredService<PollNudger>());
        services.AddSingleton<IFlow, PollFlow>();
        services.AddSingleton<IPollLookup, PollLookup>();
        services.AddOptions<AgendaOptions>();
        services.TryAddSingleton<AgendaBook>();
        services.TryAddSingleton<WithdrawalCodes>();
        services.TryAddSingleton<AgendaMessage>();
        services.AddSingleton<IAgendaFeed, AgendaFeed>();
        services.AddSingleton<IFlow, AgendaFlow>();
        services.AddOptions<RotaOptions>();
        services.TryAddSingleton<RotaPolls>();
        services.TryAddSingleton<RotaSwaps>();
        services.TryAddSingleton<RotaChanges>();
        services.AddSingleton<IFlow, RotaFlow>();
        services.AddSingleton<ITimerHandler, RotaPollDeadline>();
        services.AddSingleton<IRotaLookup, RotaLookup>();
        services.AddConcerns();
        services.AddSingleton<IFlow, SessionFlow>();
        services.AddSingleton<IFlow, MeFlow>();

        // Sessions: the calendar other features ask, and the reminder chain.
        services.AddSingleton<SessionCalendar>();
        services.AddSingleton<ISessionCalendar>(sp => sp.GetRequiredService<SessionCalendar>());
        services.AddSingleton<SessionReminders>();
        services.AddSingleton<ITimerHandler>(sp => sp.GetRequiredService<SessionReminders>());

        // Members: own preferences, and private nudges that respect them.
        services.AddSingleton<MemberPreferencesStore>();
        services.AddSingleton<PrivateNudges>();
        services.AddSingleton<INudges>(sp => sp.GetRequiredService<PrivateNudges>());
        services.AddSingleton<ITimerHandler>(sp => sp.GetRequiredService<PrivateNudges>());
        services.AddSingleton<PostedMessageRefresh>();
        services.AddSingleton<MemberData>();
        services.AddSingleton<MemberRekey>();
        services.AddSingleton<AccountLinking>();

        // Record: the group's decisions log, the record flow and retention.
        services.AddSingleton<DecisionLog>();
        services.AddSingleton<IRecord, RecordKeeper>();
        services.AddOptions<RecordOptions>();
        services.AddSingleton<RecordRetention>();
        services.AddSingleton<ITimerHandler>(sp => sp.GetRequiredService<RecordRetention>());
        services.AddSingleton<IFlow, RecordFlow>();

        // Check-outs: the anonymous "how did it go?" after each session, and its place in the record.
        services.AddOptions<CheckoutOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CheckoutOptions>, CheckoutOptionsValidator>());
        services.AddSingleton<CheckoutBoxes>();
        services.AddSingleton<CheckoutOpener>();
        services.AddSingleton<ITimerHandler>(sp => sp.GetRequiredService<CheckoutOpener>());
        services.AddSingleton<CheckoutSettingsCommands>();
        services.AddSingleton<IFlow, CheckoutFlow>();

        // Until a feature provides the real thing, its lookups answer "nothing yet".
        services.TryAddSingleton<ISessionCalendar, NoSessionCalendar>();
        services.TryAddSingleton<IAgendaFeed, NoAgendaFeed>();
        services.TryAddSingleton<IRotaLookup, NoRotaLookup>();
        services.TryAddSingleton<IPollLookup, NoPollLookup>();
        services.TryAddSingleton<ISessionEvents, NoSessionEvents>();
        return services;
    }
}
