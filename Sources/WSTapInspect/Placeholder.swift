// Placeholder so the package manifest resolves while WSTapInspect has no sources yet.
// Delete this file once the target has real code.
