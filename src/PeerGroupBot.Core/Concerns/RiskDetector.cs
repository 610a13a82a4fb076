using System.Text;
using System.Text.RegularExpressions;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// Spots words that suggest someone may be at immediate risk, so the member gets crisis contacts at once and a concern
/// jumps the queue. The text is normalised first (case, apostrophes, "do not" = "dont" = "don't", "wanna", repeated
/// letters, common misspellings), then matched against families of phrasings (wanting to die, plans and means,
/// self-harm, goodbyes and burden, hopelessness, danger from others) that leave everyday idioms alone ("this deadline is
/// killing me"), and against a phrase list a group can change. It is deliberately generous: a false alarm costs a kind
/// message, a miss costs much more. It is a keyword check, not a clinical judgement, and the bot never presents it as one.
/// Measured against tests/PeerGroupBot.Core.Tests/Safety/risk-corpus.txt. No I/O; patterns are compiled once.
/// </summary>
public sealed partial class RiskDetector
{
    /// <summary>
    /// Built-in phrases matched as whole words after normalisation, on top of the built-in families. Configure
    /// <c>Concerns:RiskPhrases</c> to replace this list and <c>Concerns:ExtraRiskPhrases</c> to add to it.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultPhrases =
    [
        "suicidal", "kill myself", "killing myself", "end my life", "ending my life", "end it all",
        "take my own life", "taking my own life", "want to die", "wanna die", "want to be dead", "better off dead",
        "better off without me", "don't want to be alive", "no reason to live", "nothing to live for",
        "hurt myself", "hurting myself", "harm myself", "harming myself", "self harming", "overdosed",
        "abusing me", "being abused", "hurting a child", "abusing a child",
    ];

    private static readonly Lazy<RiskDetector> Defaults = new(() => new RiskDetector(DefaultPhrases));

    private readonly string[] _phrases;

    /// <summary>A detector for the built-in families plus <paramref name="phrases"/> (normalised once, here).</summary>
    public RiskDetector(IEnumerable<string> phrases)
    {
        _phrases = phrases.Select(p => Normalize(p).Replace(" . ", " ", StringComparison.Ordinal).Trim())
            .Where(p => p.Length > 2).Distinct().Select(p => " " + p + " ").ToArray();
    }

    /// <summary>True when <paramref name="text"/> matches a built-in family or one of <paramref name="phrases"/>.</summary>
    public static bool SuggestsRisk(string text, IEnumerable<string> phrases)
        => ReferenceEquals(phrases, DefaultPhrases) ? Defaults.Value.Matches(text) : new RiskDetector(phrases).Matches(text);

    /// <summary>True when <paramref name="text"/> matches a built-in family or one of this detector's phrases.</summary>
    public bool Matches(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        var normalized = Normalize(text);
        foreach (var phrase in _phrases)
            if (normalized.Contains(phrase, StringComparison.Ordinal)) return true;
        return Families().IsMatch(normalized);
    }

    // ---- normalising ------------------------------------------------------------------------------------------------

    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["wanna"] = "want to", ["wana"] = "want to", ["gonna"] = "going to", ["gona"] = "going to", ["tryna"] = "trying to",
        ["wnat"] = "want", ["wamt"] = "want", ["whant"] = "want", ["wnt"] = "want", ["wont2"] = "want to",
        ["cannot"] = "cant", ["cnt"] = "cant", ["carnt"] = "cant", ["coudnt"] = "couldnt",
        ["hed"] = "he would", ["shed"] = "she would", ["theyd"] = "they would", ["id"] = "i would", ["youd"] = "you would",
        ["hes"] = "he is", ["shes"] = "she is", ["theyre"] = "they are", ["lifes"] = "life is", ["thats"] = "that is",
        ["u"] = "you", ["ur"] = "your", ["ppl"] = "people", ["noone"] = "no one", ["nobodys"] = "nobody is",
        ["too"] = "to", ["2"] = "to",
        ["suicdal"] = "suicidal", ["sucidal"] = "suicidal", ["suicidial"] = "suicidal", ["suisidal"] = "suicidal",
        ["suicidle"] = "suicidal", ["suacidal"] = "suicidal", ["sucide"] = "suicide", ["suicde"] = "suicide",
        ["suiside"] = "suicide", ["suicid"] = "suicide", ["sucicide"] = "suicide",
        ["myslef"] = "myself", ["mysefl"] = "myself", ["meself"] = "myself", ["myselfe"] = "myself", ["mself"] = "myself",
        ["kil"] = "kill", ["killin"] = "killing", ["dieing"] = "dying", ["dyin"] = "dying", ["ded"] = "dead",
        ["anymore"] = "anymore", ["nomore"] = "no more", ["any1"] = "anyone", ["every1"] = "everyone",
        ["selfharm"] = "selfharm", ["selfharming"] = "selfharming", ["selfharmed"] = "selfharmed",
        ["unalive"] = "unalive", ["overdoze"] = "overdose", ["overdosing"] = "overdosing",
        ["threating"] = "threatening", ["abuseing"] = "abusing", ["beleive"] = "believe",
        ["dissapear"] = "disappear", ["dissappear"] = "disappear", ["disapear"] = "disappear", ["dissapeared"] = "disappeared",
        ["cos"] = "because", ["coz"] = "because", ["cuz"] = "because", ["bc"] = "because", ["bcos"] = "because",
        ["til"] = "till", ["untill"] = "until", ["nuthin"] = "nothing", ["nothin"] = "nothing",
        ["hell"] = "he will", ["shell"] = "she will", ["theyll"] = "they will",
        ["antidepressant"] = "antidepressants", ["paracetemol"] = "paracetamol", ["paracetomol"] = "paracetamol",
    };

    /// <summary>
    /// Words whose apostrophe carries the meaning, looked up before apostrophes are dropped: "od'd" is not "odd" and
    /// "sh'd" (self-harmed, as people write it) is not "shd".
    /// </summary>
    private static readonly Dictionary<string, string> ApostropheWords = new(StringComparer.Ordinal)
    {
        ["od'd"] = "overdosed", ["od'ed"] = "overdosed", ["od'ing"] = "overdosing",
        ["sh'd"] = "selfharmed", ["sh'ed"] = "selfharmed", ["sh'ing"] = "selfharming",
    };

    /// <summary>
    /// "-ing" words people write without the g ("cuttin", "killin", "nothin"): a token ending in "in" is read as the
    /// word with its g when that word is one of these.
    /// </summary>
    private static readonly HashSet<string> DroppedG = new(StringComparer.Ordinal)
    {
        "cutting", "burning", "killing", "dying", "hurting", "harming", "nothing", "going", "thinking", "living", "wanting",
        "feeling", "saying", "threatening", "hitting", "beating", "abusing", "following", "starving", "scratching",
        "ending", "trying", "planning", "saving", "taking", "hanging", "jumping", "punching", "choking", "stalking",
    };

    /// <summary>Two-word forms folded into one (so "do not", "don't" and "dont" read the same).</summary>
    private static readonly Dictionary<(string, string), string> Pairs = new()
    {
        [("do", "not")] = "dont", [("can", "not")] = "cant", [("i", "am")] = "im", [("i", "have")] = "ive",
        [("will", "not")] = "wont", [("is", "not")] = "isnt", [("did", "not")] = "didnt", [("does", "not")] = "doesnt",
        [("would", "not")] = "wouldnt", [("was", "not")] = "wasnt", [("were", "not")] = "werent", [("are", "not")] = "arent",
        [("my", "self")] = "myself", [("self", "harm")] = "selfharm", [("self", "harming")] = "selfharming",
        [("self", "harmed")] = "selfharmed", [("self", "harms")] = "selfharms", [("no", "body")] = "nobody",
        [("any", "more")] = "anymore", [("anti", "depressants")] = "antidepressants", [("un", "alive")] = "unalive", [("un", "aliving")] = "unaliving",
    };

    /// <summary>Words a doubled letter is folded back to ("waant" is "want", "diee" is "die").</summary>
    private static readonly HashSet<string> KeyWords = new(StringComparer.Ordinal)
    {
        "die", "want", "dead", "end", "life", "live", "hurt", "cut", "myself", "suicide", "suicidal", "pills", "death", "kms",
    };

    /// <summary>
    /// Lower case, apostrophes dropped (after <see cref="ApostropheWords"/>), a dropped g restored, letters repeated three or more times read once, sentence punctuation a " . "
    /// token (so a phrase never runs across sentences), anything else a space; then word forms folded as above.
    /// </summary>
    internal static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (c is '\'' or '\u2019' or '\u2018' or '`' or '\u00b4' or '\u02bc')
            {
                builder.Append('\''); // kept for ApostropheWords, dropped per token below
                continue;
            }
            if (char.IsLetterOrDigit(c))
            {
                if (builder.Length >= 2 && char.IsLetter(c) && builder[^1] == c && builder[^2] == c) continue;
                builder.Append(c);
            }
            else if (c is '.' or '!' or '?' or ',' or ';' or ':' or '\n' or '\r' or '(' or ')' or '\u2026') builder.Append(" . ");
            else builder.Append(' ');
        }

        var tokens = builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < tokens.Length; i++)
            if (tokens[i].Contains('\''))
                tokens[i] = ApostropheWords.TryGetValue(tokens[i].Trim('\''), out var kept) ? kept : tokens[i].Replace("'", "", StringComparison.Ordinal);
        tokens = Array.FindAll(tokens, t => t.Length > 0);
        var output = new List<string>(tokens.Length + 4) { "" };
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token == "." && output[^1] == ".") continue;
            if (token == "my" && i + 2 < tokens.Length && tokens[i + 1] == "self" && tokens[i + 2].StartsWith("harm", StringComparison.Ordinal))
            {
                output.Add(token); // "my self harm" is "my selfharm", not "myself harm"
                continue;
            }
            if (i + 1 < tokens.Length && Pairs.TryGetValue((token, tokens[i + 1]), out var pair))
            {
                output.Add(pair);
                i++;
                continue;
            }
            if (token == "2" && (i + 1 >= tokens.Length || !char.IsLetter(tokens[i + 1][0]))) { output.Add(token); continue; }
            output.Add(Words.TryGetValue(token, out var word) ? word : Undouble(RestoreG(token)));
        }
        output.Add("");
        return string.Join(' ', output);
    }

    private static string RestoreG(string token)
        => token.Length > 4 && token.EndsWith("in", StringComparison.Ordinal) && DroppedG.Contains(token + "g") ? token + "g" : token;

    private static string Undouble(string token)
    {
        if (token.Length < 3 || KeyWords.Contains(token)) return token;
        for (var i = 1; i < token.Length; i++)
        {
            if (token[i] != token[i - 1]) continue;
            var shorter = token.Remove(i, 1);
            if (KeyWords.Contains(shorter)) return shorter;
        }
        return token;
    }

    // ---- families of phrasings --------------------------------------------------------------------------------------

    private const string Intent =
        @"(?:want|wants|wanted|wanting|going|planning|plan|ready|tempted|trying|decided|need|needing|"
        + @"wish i could|i could just|i might|i might just|i will|i would rather|urge)";

    private const string Dying =
        @"(?:die(?! (?:if|of (?:boredom|embarrassment|laughter|shame|cringe)|for (?:a|the|that|one)|laughing|waiting|without|happy|old)\b)|be dead|end it(?: all)?(?! (?:there|here|at|early|for|on|by|now|after|before|with|soon)\b)|end my life|end everything|"
        + @"take my (?:own )?life|not wake up|never wake up|not be here(?! (?:at|on|for|by|when|today|tomorrow|tonight)\b)|"
        + @"not exist|stop existing|disappear (?:forever|for good|for ever|permanently|and (?:never|not) (?:come|coming) back)|be gone(?! (?:by|before|for|at|from|in|when|till|until)\b)|kms|unalive myself|"
        + @"commit suicide|kill myself|hang myself|drown myself|overdose|od)";

    /// <summary>What people save, count out or take too many of.</summary>
    private const string Means =
        @"(?:pills|tablets|meds|medication|medicine|paracetamol|painkillers|antidepressants|sleeping (?:pills|tablets)|"
        + @"insulin|prescription|codeine|cocodamol|co codamol|ibuprofen|aspirin|sertraline|fluoxetine|citalopram|mirtazapine|"
        + @"amitriptyline|diazepam|lithium|quetiapine|olanzapine)";

    /// <summary>The end of a sentence: nothing but a full stop (or the end of the text) follows.</summary>
    private const string SentenceEnd = @"(?=(?: \.)? *$| \.)";

    /// <summary>Said of oneself when hurting oneself: the hurt goes on until it shows.</summary>
    private const string UntilItShows = @"(?:till|until) (?:it|they|i) (?:hurts?|bleeds?|bled|bruises?|burns?|scars?)";

    /// <summary>Where people hurt themselves.</summary>
    private const string SelfBody = @"(?:wrists?|arms?|thighs?|legs?|stomach|hips?|skin|hands?|face|body|chest)";

    private const string Subject =
        @"(?:he|she|they|him|her|them|partner|boyfriend|girlfriend|husband|wife|dad|father|mum|mom|mother|stepdad|stepmum|"
        + @"step dad|step mum|brother|sister|uncle|aunt|carer|ex|someone|somebody|man|son|daughter|family|parent|parents|"
        + @"landlord|flatmate|housemate|boss|grandad|grandpa|cousin|neighbour|people|person)";

    private const string BodyPart =
        @"(?:back|knee|knees|head|tooth|teeth|feet|foot|leg|legs|arm|arms|neck|stomach|tummy|chest|shoulder|shoulders|hip|"
        + @"hips|hand|hands|eye|eyes|ear|ears|shoes|boots|wrist|ankle|throat|joints|period|cramps|it|this|that)";

    private const string Harms =
        @"(?:hits|hitting|beats|beating|kicks|kicking|punches|punching|slaps|slapping|hurts|hurting|abuses|abusing|"
        + @"threatens|threatening|rapes|raping|touches|touching|stalks|stalking|attacks|attacking|strangles|chokes|controls|"
        + @"bullies|bullying|harasses|harassing|blackmails|blackmailing|grooming|following)";

    private const string PastHarms =
        @"(?:hit|beat|kicked|punched|slapped|hurt|abused|threatened|raped|touched|attacked|strangled|choked|stabbed|"
        + @"assaulted|pushed|shoved|burned|burnt|blackmailed|groomed)";

    /// <summary>
    /// Every family in one pattern, so a message is scanned once. No timeout: no branch nests quantifiers and the one
    /// gap allowed inside a sentence is bounded ({0,30}), so matching is linear in the text (at most 4,000 characters).
    /// </summary>
    [GeneratedRegex(
        // wanting to die or not exist
        @"\b" + Intent + @" (?:to |on |of )?(?:just )?" + Dying + @"\b"
        + @"|\b(?:kill|killing|killed|unalive|unaliving|hang|hanging|drown|drowning|hung) myself\b(?! laughing)"
        + @"|\bkms\b(?<!\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|few|many|some|of|the|more|miles|to) kms)"
        + @"|\bsuicid(?:e|al|ally|ality)\b(?! (?:prevention|awareness|squad|training|bereavement|statistics|rates?|charity|forest|note(?:s)? (?:in|on) (?:the|a) (?:film|book)))"
        + @"|\b(?:think|thinking|thought|thoughts) (?:about|of) (?:dying|death|ending it|ending my life|ending things|killing myself|taking my (?:own )?life|not being here|jumping(?! (?:in|into|on|onto|at|for|up|over|around|ship|rope|the queue)\b)|hanging myself|overdosing|unaliving|my funeral|"
        + @"(?:stepping|walking|throwing myself|jumping|lying down) (?:out )?(?:in front of|under) (?:a |the )?(?:train|bus|car|lorry|truck|tram|traffic)|"
        + @"(?:walking|swimming|wading|jumping|driving) (?:out )?(?:into|off) (?:a |the )?(?:sea|river|lake|canal|traffic|bridge|roof|cliff|balcony)|"
        + @"(?:driving|crashing) (?:my car )?(?:into|off) (?:a|the) (?:wall|tree|bridge|cliff|river|sea|lorry))\b"
        + @"|\b(?:wish|wishing) (?:i|i would) (?:was|were|could|would|had)(?: just)? (?:dead|die|disappear|gone|never been born|not been born|not here|stop)\b"
        + @"|\bwish i (?:didnt|wasnt|never) (?:exist|alive|here|born|wake)"
        + @"|\bdont want to (?:live|be alive|exist|be here|go on|carry on|keep going|be around)\b(?! (?:in|near|there|on|at|with (?:my|them|him|her)|somewhere|abroad|early|till|until|before|today|tomorrow|tonight|this|when|if|for)\b)"
        + @"|\bdont want to (?:wake up|be alive|exist)\b(?! (?:early|at|before|till|until|in time|on time|for)\b)"
        + @"|\b(?:dont|cant|never) see myself (?:being alive|alive|being here|still here|living|surviving|making it)\b"
        + @"|\b(?:tired|sick|exhausted|weary) of (?:being alive|living|existing|life|being here)\b(?! (?:in|at|with|on|near|admin|like)\b)"
        + @"|\b(?:dont|not|never) (?:wake up|waking up)\b(?! (?:early|till|until|in time|on time|at|before|for))"
        + @"|\brather (?:die|be dead)\b|\bbetter off dead\b|\b(?:go to sleep|sleep) forever\b"
        // plans and means
        + @"|\boverdos(?:e|ed|ing)\b|\bod\b(?<!\b(?:the|an|of) od)(?! (?:on (?:coffee|sugar|chocolate)))"
        + @"|\b(?:saving|saved|save|stockpiling|stockpiled|collecting|collected|hoarding|hoarded|storing|stored|kept|keeping) (?:up )?(?:all )?(?:of )?(?:my |enough |some |the )?" + Means + @"\b"
        + @"|\b" + Means + @" (?:saved|saved up|stockpiled|hoarded|stored up|hidden away|lined up|laid out|counted out|in front of me)\b"
        + @"|\b(?:took|take|taking|swallowed|swallow|swallowing|downed) (?:a load|loads|a lot|lots|a handful|handfuls|a bunch|a packet|a box|a bottle|packets|boxes|to many|double|triple) of (?:my |the |these )?" + Means + @"\b"
        + @"|\b(?:lethal|fatal|deadly) (?:dose|doses|amount|amounts|overdose)\b"
        + @"|\b(?:painless|peaceful) (?:way|ways|method|methods) to (?:go|do it|end it)\b"
        + @"|\b(?:painless|peaceful|quick|quickest|easy|easiest|best|surest) (?:way|ways|method|methods) (?:to (?:die|kill myself|end it all|end my life)|of (?:dying|suicide|killing myself))\b"
        + @"|\b(?:written|wrote|planned|decided|know exactly|chosen|chose) (?:out |down )?(?:exactly )?(?:how|when|where) (?:im going to|i will|i would|i am going to) (?:do it|end it)\b" + SentenceEnd
        + @"|\b(?:ive|ive got|i got|i made|ive made) (?:a |the |my )?plan (?:and|with) (?:a |the )?(?:date|time|place|method|means)\b"
        + @"|\b(?:which|what) (?:bridge|building|cliff|roof|car park|rope|tree) (?:i would|i will|im going to|i am going to) (?:use|jump (?:off|from)|hang from)\b"
        + @"|\b(?:step|stepping|stepped|throw myself|throwing myself|threw myself|lie down|lying down) (?:out )?in front of (?:a|the) (?:train|bus|lorry|truck|car|tram)\b"
        + @"|\b(?:take|taking|took|swallow|swallowing|swallowed|down|downing|downed) (?:all|every one|the whole|a whole|loads|them all)(?: of)?(?: my| the| these)?(?: packet| box| bottle)?(?: of)?(?: my)?(?: pills| tablets| meds| medication| paracetamol)?\b(?! (?:in the morning|every|each|with|at))"
        + @"|\btook to many " + Means + @"\b"
        + @"|\bhow many " + Means + @"(?: it)? (?:would|will|does|to|i would|it takes|takes|it would take|would take|would kill|kill)\b"
        + @"|\b(?:bought|buy|got|get|have|found|tied|tie|ready) (?:a |the |my )?(?:rope|noose)\b(?! swing)"
        + @"|\b(?:standing|stood|sat|sitting|going|go|went|walking|walked|climbing|climbed|up) (?:on|to|onto|at) (?:the|a) (?:bridge|ledge|cliff edge|edge of (?:the|a) (?:bridge|cliff|roof)|roof)\b(?! (?:near|street|side|terrace|garden|bar|cafe|road))"
        + @"|\b(?:jump|jumping|jumped|throw myself|throwing myself) (?:off|from|in front of|under|into) (?:a|the|my)? ?(?:bridge|roof|building|cliff|train|car|bus|lorry|balcony|window|ledge|tower|car park|river|sea|traffic|motorway)\b"
        + @"|\b(?:how to|ways to|way to|best way to|easiest way to|methods to) (?:die|kill (?:myself|yourself)|end (?:my|your) life|commit suicide|overdose|hang (?:myself|yourself))\b"
        + @"|\bplan (?:to|for|on how to) (?:kill myself|end my life|end it|die|take my (?:own )?life)\b"
        // self-harm
        + @"|\b(?:cut|cutting|cuts|burn|burned|burnt|burning|hurt|hurting|harm|harming|harmed|hit|hitting|punch|punching|scratch|scratching|scratched|starve|starving|starved|punish|punishing|bite|biting|bruise|bruising) myself\b(?! (?:shaving|by accident|accidentally|cooking|chopping|on (?:a|the)|at (?:the )?(?:gym|football|work)|playing))"
        + @"|\b(?:been|started|start|keep|kept|stop|stopped|urge to|urges to|relapsed|relapse|relapsed and|relapse and|want to|going to) (?:on )?(?:cutting|burning|cut|burn|selfharm\w*)\b(?! (?:back|down|the|out|my hair|corners|calories|carbs|sugar|ties|costs|class|classes))"
        + @"|\b(?:cut|cutting|cuts|slit|slitting|burn|burning) (?:my )?(?:arms?|wrists?|legs?|thighs?|skin|stomach)\b(?! (?:on (?:the|a) (?:oven|kettle|iron|stove)|by accident|accidentally))"
        + @"|\b(?:i|im|ive|been|me|my|started|start|keep|to|of|about|stop|stopped|on|relapse|relapsed|urge|urges|still|again|the) selfharm(?:ing|ed|s)?\b"
        + @"|\b(?:bang|banging|banged|scratch|scratching|scratched|pick|picking|picked|pinch|pinching|bite|biting|punch|punching|claw|clawing)\b[^.]{0,30}\b" + UntilItShows + @"\b"
        + @"|\b(?:cut|cuts|cutting|burn|burned|burnt|burning|hurt|hurting|hit|hitting|bruise|bruised|scratch|scratched|scratching|bang|banged|banging|starve|starving|starved) (?:myself|my " + SelfBody + @")\b[^.]{0,30}\bon purpose\b"
        + @"|\b(?:drive|driving|drove|crash|crashed|crashing) my car\b[^.]{0,30}\bon purpose\b"
        + @"|\b(?:not eating|stopped eating|stop eating|starving myself|skipping meals) (?:on purpose|to punish|because i deserve)\b"
        + @"|\bi deserve to (?:suffer|die|be dead|hurt|be hurt|be in pain|feel pain|be punished|rot)\b"
        + @"|\b(?:cuts|scars) (?:on|all over) my " + SelfBody + @"\b"
        // goodbyes and burden
        + @"|\b(?:better|happier|easier) (?:off )?without me\b|\bbetter off if i (?:was|were|wasnt|werent|died|disappeared|left)\b"
        + @"|\b(?:everyone|everybody|they|they all|my family|my kids|the world|people|you all|you guys|the group) (?:would|will) (?:all )?be (?:so much |much |a lot |all )?"
        + @"(?:better off" + SentenceEnd + @"|(?:better|happier)(?: off)? (?:if i|without|when i|once i|with me gone)\b)"
        + @"|\b(?:letters?|notes?) (?:for|to) (?:my |the |everyone|all)(?:\w+ )?\w* ?(?:(?:in case|to find)(?:" + SentenceEnd + @"| (?:anything|something|i|im|after|when|if)\b)|for when im gone|when im gone|after im gone|to read after)\b"
        + @"|\b(?:goodbye|bye|farewell) (?:forever|for good|for ever|for the last time)\b"
        + @"|\bsay (?:goodbye|bye|my goodbyes) (?:before i (?:go|die|do it|leave for good)|to (?:you all|everyone|you) (?:forever|for good|for the last time))\b" + SentenceEnd
        + @"|\bif (?:anything|something) (?:happens|were to happen|should happen|happened) to me\b"
        + @"|\b(?:wont|will not|dont|never) (?:have|need|got) to (?:worry about|deal with|put up with|see|hear from|look after) me (?:much longer|anymore|soon|again|for long|for much longer)\b(?! (?:till|until|before|for|next|this|tonight|today|tomorrow|at|on)\b)"
        + @"|\b(?:notice|care|mind|miss me) (?:if|when) i (?:was|were|wasnt|werent|died|disappeared|left|went|killed|didnt|stopped|am gone|m gone|never)\b(?! (?:early|late|for|to|at|on|before|after|now|the (?:group|chat|call|meeting|session|room))\b)"
        + @"|\b(?:no one|nobody|noone) (?:would|will|is going to|even)(?: even| ever| really)? miss me\b"
        + @"|\b(?:i|ive|im|i have|i had|just)(?: just)? (?:written|wrote|writing|write|left|leave|leaving|been writing|finished) (?:my |a |some |the )?(?:goodbye|suicide) (?:letter|note|message)s?\b"
        + @"|\bthis is (?:my )?(?:goodbye|last message|final message|the end for me)\b"
        + @"|\b(?:wont|will not) be (?:here|around|alive) (?:much |for much )?(?:longer|anymore)\b"
        + @"|\b(?:deal with|put up with|worry about|see) me (?:much |for much )?(?:longer|anymore)\b"
        + @"|\b(?:just|such|only|nothing but|im|always) (?:a |such a )?(?:massive |huge |total |big )?burden\b(?! (?:on (?:fran|the)|of))"
        + @"|\bgiving (?:all )?(?:my )?(?:things|stuff|belongings|possessions|everything) away\b"
        // hopelessness with giving up
        + @"|\b(?:cant|couldnt|can no longer) (?:go on|keep going|carry on)\b(?=(?: \.)? *$| \.| (?:like this|anymore|any longer|living|with (?:this|life|it|living|my life)|i|and|but|so|im|ive|its|everything)\b)"
        + @"|\b(?:cant|couldnt) (?:do this|take (?:it|this|the pain)|cope|handle (?:it|this|life)|live like this)(?: \.)? (?:anymore|any longer|no more)\b"
        + @"|\bno (?:reason|point|purpose) (?:to |in |of )?(?:me )?(?:live|living|being alive|be alive|stay alive|staying alive|go on|going on|carry on|carrying on|keep going|keep living|life|existing|exist|being here|be here|wake up|anything)\b(?! (?:else|but|except)\b)"
        + @"|\bno (?:hope|future) (?:left )?(?:for me|for myself)\b|\b(?:lost|lost all|given up|gave up|giving up|no) hope\b(?:" + SentenceEnd + @"| (?:left|anymore|now|completely|for me|of (?:getting|things|ever)|in (?:life|everything|myself|living))\b)"
        + @"|\b(?:dont|cant|no longer|never) see (?:a|any) (?:future|way forward)\b(?:" + SentenceEnd + @"| (?:for me|for myself|anymore|at all)\b(?! (?:in|at|with|here|there)\b))"
        + @"|\b(?:nothing (?:is |will )?(?:ever )?(?:going to |gonna )?|(?:life|things|it) (?:will never|is never going to|wont ever|never) )(?:get|gets) (?:any )?better\b(?! than\b)"
        + @"|\bnothing (?:left )?to live for\b|\b(?:life|living|it all) (?:isnt|is not|aint|not|is no longer|isnt even|just isnt) worth (?:living|it)\b"
        + @"|\bpoint (?:in|of) (?:living|life|being alive|going on|carrying on|existing|me being here|staying alive)\b"
        + @"|\b(?:give|given|giving) up on (?:life|living|everything|myself)\b|\bdone with (?:life|living|being alive|it all|everything)\b"
        + @"|\bno way out\b(?=(?: \.)? *$| \.| (?:except|but|other than|apart from))"
        + @"|\bwant (?:everything|it all|this|the pain|my life|life|it) to (?:end|stop)\b"
        // danger from others
        + @"|\b" + Subject + @" (?:always |keeps |keep |still |often |sometimes |really |is |are |has been |have been |been )?" + Harms + @" me\b(?! (?:up|down|around|round|about|on (?:instagram|twitter|tiktok|insta|x)|at (?:chess|cards|football|tennis|games))\b)"
        + @"|\band (?:threatening|abusing|hitting|beating|stalking|strangling|choking|raping|blackmailing) me\b"
        + @"|\b(?:sending|sent|sends|send|getting|got|get|receiving|received|had) (?:me )?(?:death |violent |more )?threats\b|\bdeath threats?\b"
        + @"|\b(?:scared|afraid|terrified|frightened) (?:of )?what " + Subject + @" (?:will|would|might|could|may|is going to) do\b(?:" + SentenceEnd + @"| (?:to me|to us|to the kids|next|tonight)\b)"
        + @"|\b(?:is|are|keeps|keep|been|always|still) (?:hurting|hitting|abusing|threatening|beating|stalking|attacking|controlling|harassing) me\b(?! up\b)(?<!\b" + BodyPart + @" (?:is |are |keeps |has been |been |really )?\w+ \w+ me)"
        + @"|\b" + Subject + @" (?:has |had |just |always |again |then |even )?" + PastHarms + @" me\b(?! (?:at|in|to|by|up|off|with (?:the|a) (?:ball|bill)|hard)\b)"
        + @"|\b(?:being|been|get|getting|got|was|im) (?:hit|beaten|abused|attacked|raped|assaulted|threatened|strangled|choked|stalked|groomed)\b(?! (?:by (?:a|the) (?:ball|car|bus|bike|cold|flu|bug)|with (?:the|a) (?:bill|fine)))"
        + @"|\b(?:threatened|threatening|threatens|threaten) to (?:kill|hurt|harm|beat|hit|stab|attack|rape|burn|shoot|strangle) (?:me|us|my|the kids|the children)\b"
        + @"|\b(?:said|says|told me|threatened|swore|swears|promised|keeps saying|going to)\b[^.]{0,30}\b(?:kill|hurt|murder|stab|strangle|beat|shoot) me\b(?! (?:if i(?:m| am)? late|if i eat))"
        + @"|\b(?:said|says|told me|threatened|swore|swears|keeps saying)\b[^.]{0,30}\b(?:he|she|they) (?:will|would|is going to|are going to) (?:finish|end) me\b"
        + @"|\b(?:scared|afraid|terrified|frightened|worried)\b[^.]{0,30}\b(?:kill|hurt|murder|hit|beat|attack|stab) me\b"
        + @"|\b(?:scared|afraid|terrified|frightened) (?:of (?:my )?" + Subject + @"|to (?:go|be) (?:home|at home|back home)|of going home)\b|\bscared for my (?:life|safety)\b"
        + @"|\b(?:not|never|no longer|dont|doesnt|didnt|cant|isnt|arent|wasnt|werent) (?:feel )?safe (?:at home|in my (?:house|home|flat|room)|here|around (?:him|her|them)|with (?:him|her|them|my)|anymore)\b"
        + @"|\b(?:im|i am|i feel|feel|feeling) (?:not safe|unsafe)\b(?! (?:to (?:drive|park|cycle|walk)|parking|leaving))|\bunsafe (?:at home|in my)\b|\bim not safe\b" + SentenceEnd
        + @"|\bin danger\b(?! of\b)(?<!\b(?:species|animals|hedgehogs|bees|habitats?|building|jobs|plants|it|they|are) in danger)"
        + @"|\b(?:wont|doesnt|will not|does not|never|dont) let me (?:leave|go out|see (?:my|anyone|friends)|out|have my phone)\b"
        + @"|\b(?:hurting|abusing|touching) (?:a child|the kids|the children|my child|my kids|my children)\b",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Families();
}
