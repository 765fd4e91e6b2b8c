// Placeholder so the package manifest resolves while WSTapInspectTests has no tests yet.
// Delete this file once the target has real tests.
