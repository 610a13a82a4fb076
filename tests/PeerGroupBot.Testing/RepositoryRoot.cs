namespace PeerGroupBot.Testing;

/// <summary>Finds the checkout's root (the folder holding PeerGroupBot.sln) from wherever the tests run.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PeerGroupBot.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No PeerGroupBot.sln above {AppContext.BaseDirectory}: run the tests from inside the repository.");
    }
}
