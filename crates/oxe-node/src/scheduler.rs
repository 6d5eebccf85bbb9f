//! scheduler binding.
