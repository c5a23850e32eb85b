/** Stylesheets imported for their effect: Vite turns them into a linked file of their own. */
declare module '*.css';
