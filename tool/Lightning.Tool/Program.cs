using Lightning.Tool;

return ToolApp.Run(args, new ToolContext(Console.Out, Console.Error, Environment.CurrentDirectory));
