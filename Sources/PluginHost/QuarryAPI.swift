// The Lua API over the document model: the `quarry` module and the `doc` object.
// Placeholder while the API lands.
import LuaBridge

/// The Lua API's version, for plugins that check it with `quarry.at_least`.
public let quarryAPIVersion = "1.0"
