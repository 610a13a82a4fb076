using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Core.Tests.Conversation;

/// <summary>Member text cannot become a link, heading, quote or mention; the bot's own subset is left as it is.</summary>
public class MarkdownTextTests
{
    [Theory]
    [InlineData("[login](https://evil.example)", @"\[login\](https://evil.example)")]
    [InlineData(@"\[login\](https://evil.example)", @"\\\[login\\\](https://evil.example)")] // escapes cannot be undone by the member
    [InlineData("# Free money", @"\# Free money")]
    [InlineData("Sleep\n## Boundaries", "Sleep\n\\## Boundaries")]
    [InlineData("-# small print", @"\-# small print")]
    [InlineData("> quoted", @"\> quoted")]
    [InlineData("hi <@123> and <@&456> in <#789>", @"hi \<@123> and \<@&456> in \<#789>")]
    public void Risky_markdown_is_escaped(string member, string shown)
        => Assert.Equal(shown, MarkdownText.Neutralise(member));

    [Theory]
    [InlineData("**Topic poll #3**: *closes friday*")]
    [InlineData("- Sleep: 3 votes\n- Boundaries: 1 vote")]
    [InlineData("Type `poll results [#n]` or `help <topic>`")]
    [InlineData("Poll #2 is open")]
    public void The_bots_own_formatting_and_code_spans_are_left_alone(string text)
        => Assert.Equal(text, MarkdownText.Neutralise(text));

    [Fact]
    public void A_members_backticks_are_escaped_while_the_bots_code_spans_stay_code()
    {
        var text = "Type `help`. Option: " + MarkdownText.Member("`x` and ```");
        Assert.Equal(@"Type `help`. Option: \`x\` and \`\`\`", MarkdownText.Neutralise(text));
        Assert.Equal("Type `help`. Option: `x` and ```", MarkdownText.Literal(MarkdownText.Neutralise(text, keepMemberBackticks: true)));
    }
}
