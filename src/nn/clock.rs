//! Where training reads the time: an injectable clock, because `std::time::Instant` does not
//! exist on wasm32-unknown-unknown (the web layer passes one over `performance.now()`).

/// A monotonic clock in seconds; `None` when no clock is available (timings not measured).
pub trait Clock {
    fn now_seconds(&self) -> Option<f64>;
}

/// No clock: every timing is reported as not measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoClock;

impl Clock for NoClock {
    fn now_seconds(&self) -> Option<f64> {
        None
    }
}

/// `std::time::Instant`, counted from the clock's creation (native targets only).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug)]
pub struct SystemClock(std::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl Default for SystemClock {
    fn default() -> Self {
        SystemClock(std::time::Instant::now())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for SystemClock {
    fn now_seconds(&self) -> Option<f64> {
        Some(self.0.elapsed().as_secs_f64())
    }
}

/// Makes a clock (see [`set_default_clock`]).
pub type ClockFactory = fn() -> Box<dyn Clock>;

thread_local! {
    static FACTORY: std::cell::Cell<Option<ClockFactory>> = const { std::cell::Cell::new(None) };
}

/// Make [`default_clock`] give clocks from `make` on this thread: the web layer installs
/// `performance.now()` before it runs a scene's check, which times training.
pub fn set_default_clock(make: ClockFactory) {
    FACTORY.with(|f| f.set(Some(make)));
}

/// The best clock of the target: the one installed by [`set_default_clock`], else
/// [`SystemClock`] natively and [`NoClock`] on wasm.
pub fn default_clock() -> Box<dyn Clock> {
    if let Some(make) = FACTORY.with(std::cell::Cell::get) {
        return make();
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Box::new(SystemClock::default())
    }
    #[cfg(target_arch = "wasm32")]
    {
        Box::new(NoClock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock that always reads 42 s.
    struct Fixed;
    impl Clock for Fixed {
        fn now_seconds(&self) -> Option<f64> {
            Some(42.0)
        }
    }

    #[test]
    fn an_installed_clock_is_the_default_on_its_thread_only() {
        std::thread::spawn(|| {
            set_default_clock(|| Box::new(Fixed));
            assert_eq!(default_clock().now_seconds(), Some(42.0));
        })
        .join()
        .unwrap();
        #[cfg(not(target_arch = "wasm32"))]
        assert_ne!(default_clock().now_seconds(), Some(42.0));
    }
}
