//! Integration tests: the real library and binary on generated data, in temporary workspaces.

mod it;
