using System.Collections.Frozen;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// The track API's naming convention: an object and a past-tense verb in snake_case (<c>report_exported</c>,
/// <c>invite_sent</c>, <c>user_logged_in</c>). The standard events are always accepted (<c>page_visit</c> among them).
/// </summary>
public static class EventNameConvention
{
    // Trailing particles of phrasal verbs: user_logged_in, plan_opted_out.
    private static readonly FrozenSet<string> Particles = FrozenSet.ToFrozenSet(
        ["in", "out", "up", "down", "off", "on", "over", "back", "away", "through"], StringComparer.Ordinal);

    // Irregular past forms likely in product events. "done" is left out on purpose: the API lists profile_done as a name to avoid.
    private static readonly FrozenSet<string> IrregularPastForms = FrozenSet.ToFrozenSet(
    [
        "sent", "made", "paid", "bought", "sold", "built", "spent", "left", "met", "held", "kept", "found", "got", "gotten",
        "shown", "seen", "saw", "written", "wrote", "chosen", "chose", "drawn", "drew", "hidden", "hid", "known", "knew",
        "grown", "grew", "thrown", "threw", "taken", "took", "given", "gave", "won", "lost", "began", "begun", "read", "set",
        "reset", "put", "cut", "shut", "run", "ran", "led", "fed", "lent", "sat", "told", "said", "brought", "thought",
        "caught", "taught", "sought", "felt", "dealt", "meant", "heard", "hung", "struck", "stuck", "split", "spread",
        "quit", "hit", "let", "bid", "broadcast", "forecast", "upset", "undone", "redone", "rewritten", "overridden",
        "forgotten", "forgot", "forgiven", "frozen", "froze", "spoken", "spoke", "stolen", "woken", "broken", "broke",
        "torn", "worn", "sworn", "driven", "drove", "ridden", "rode", "risen", "rose", "fallen", "fell", "flown", "flew",
        "eaten", "ate", "drunk", "sung", "rung", "went", "gone", "came", "come", "became", "become", "did", "had",
        "understood", "stood", "withdrawn", "withdrew", "undergone", "rebuilt", "resent", "resold", "outgrown", "overcome",
        "upheld", "withheld", "mistaken", "bound", "wound", "ground", "shot", "slid", "swept", "slept", "wept", "dug", "won",
    ], StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="eventName"/> follows the convention: lower-case snake_case words (letters and digits),
    /// at least two, the last word that is not a particle (in, out, up…) being a past-tense verb with an object before it.
    /// </summary>
    /// <param name="eventName">The name to check.</param>
    /// <returns>True for <c>signed_up</c>, <c>report_exported</c>, <c>invite_sent</c>; false for <c>SignUp</c>, <c>event_12</c>, <c>clicked</c>.</returns>
    public static bool IsConventional(string eventName)
    {
        if (string.IsNullOrEmpty(eventName))
            return false;
        if (StandardEvents.IsStandard(eventName))
            return true;

        // Shape: [a-z][a-z0-9]*(_[a-z0-9]+)+
        if (eventName[0] is < 'a' or > 'z')
            return false;
        var underscores = 0;
        for (var i = 0; i < eventName.Length; i++)
        {
            var c = eventName[i];
            if (c == '_')
            {
                if (i == eventName.Length - 1 || eventName[i + 1] == '_')
                    return false;
                underscores++;
            }
            else if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                return false;
            }
        }
        if (underscores == 0)
            return false;

        var words = eventName.Split('_');
        var last = words.Length - 1;
        while (last > 0 && Particles.Contains(words[last]))
            last--;
        if (last == 0)
            return false; // a verb with no object in front of it
        return IsPastTense(words[last]);
    }

    private static bool IsPastTense(string word)
        => (word.Length > 3 && word.EndsWith("ed", StringComparison.Ordinal)) || IrregularPastForms.Contains(word);
}
